import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/real-project-layout@${digest}"
def log = new File(basedir, 'build.log').text

// <artifactPath>: the binary is /bin/exporter, and the entrypoint follows it.
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Entrypoint').collect { it.asText() } == ['/bin/exporter']
def listing = ItChecks.lastLayerListing(ref)
println listing
assert listing.readLines().any { it =~ /^-rwxr-xr-x 0\/0 .* bin\/exporter$/ }
assert !listing.contains('app/')
assert log.contains('COPY --from=builder exporter /bin/exporter') || log.contains('/bin/exporter')

def out = ItChecks.runImage(new File(testbedDir), ref, null)
println out
assert out.contains('exe=/bin/exporter')

// <ldflags> adds to -s -w, and the templates give the commit and its time (not now).
def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
assert sha ==~ /[0-9a-f]{40}/
assert out.contains("commit=${sha} short=${sha.substring(0, 7)} date=2024-05-06T07:08:09Z")
assert log.contains('-ldflags=-s -w -X main.commit=' + sha)
// go stamped the revision itself (-buildvcs=auto in a checkout with git).
assert out.contains("build vcs.revision=${sha}")
assert out.contains('build vcs.modified=false')
assert log.contains('-buildvcs=auto')
return true
