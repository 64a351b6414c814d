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
return true
