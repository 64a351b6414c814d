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

// <nonRootUser>app:10001: the container runs as 10001, and its home stays its own although the
// extra files (src/main/image/home/app/.config/...) go into it; the LICENSE is a single file.
assert config.path('User').asText() == '10001:10001'
def layers = ItChecks.layerListings(ref, null)
assert layers.size() == 4 // alpine, the user, the extra files, the binary
println layers[1]
println layers[2]
assert layers[1].readLines().any { it =~ /^drwxr-xr-x 10001\/10001 .* home\/app\/$/ }
assert layers[2].readLines().any { it =~ /^drwxr-xr-x 10001\/10001 .* home\/app\/$/ }
assert layers[2].readLines().any { it =~ /^drwxr-xr-x 0\/0 .* home\/$/ }
assert layers[2].readLines().any { it =~ /^-r--r--r-- 0\/0 .* usr\/share\/doc\/exporter\/LICENSE$/ }
assert !layers[3].readLines().any { it ==~ /.* bin\/?$/ && !it.startsWith('d') }
assert out.contains('uid=10001 gid=10001')
assert out.contains('home=/home/app mode=drwxr-xr-x owner=10001:10001')
assert out.contains('wrote home state')
assert out.contains('config=listen=:9100')
assert out.contains('license=MIT License (scenario)')

// <ldflags> adds to -s -w, and the templates give the commit and its time (not now).
def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
assert sha ==~ /[0-9a-f]{40}/
assert out.contains("commit=${sha} short=${sha.substring(0, 7)} date=2024-05-06T07:08:09Z")
// The logged command line is shell-quoted: it can be copied and run as it is.
assert log.contains("'-ldflags=-s -w -X main.commit=${sha} -X main.short=${sha.substring(0, 7)} -X main.date=2024-05-06T07:08:09Z'")
// go stamped the revision itself (-buildvcs=auto in a checkout with git).
assert out.contains("build vcs.revision=${sha}")
assert out.contains('build vcs.modified=false')
assert log.contains('-buildvcs=auto')
assert log.contains('Builder stage runs: no earlier build is recorded')
// No <builder><image>: the go.mod line that chose it is in the log.
assert log.contains('Builder image docker.io/library/golang:1.26-alpine from go.mod line 3: go 1.26.0')

// An edit of the pom that the Go build does not read (<container><args>): no compile, the image gets the CMD.
def rebuild = { String name ->
  ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:image',
      "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
      '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${new File(basedir, '../../it-cache').canonicalPath}"]),
      new File(basedir, "target/${name}.log"))
}
// The invoker's build.log, in the project, changed while that build ran: a build to settle it.
assert rebuild('settle').contains('Builder stage runs: build.log changed')
def pom = new File(basedir, 'pom.xml')
pom.text = pom.text.replace('<artifactPath>', '<container><args><arg>--flag</arg></args></container>\n          <artifactPath>')
def args = rebuild('args')
assert args.contains('Builder stage skipped: its inputs are those of the last build')
assert !args.contains('$ GOOS=')
def argsDigest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert ItChecks.inspectConfig("docker://${registry}/it/real-project-layout@${argsDigest}").path('config').path('Cmd')
    .collect { it.asText() } == ['--flag']

// An edit of the Go code: the log says which file changed, and go runs.
def main = new File(basedir, 'main.go')
main.text = main.text.replace('"exe=%s\\n"', '"exe=%s (edited)\\n"')
def edited = rebuild('edited')
assert edited.contains('Builder stage runs: main.go changed')
assert edited.count('$ GOOS=linux GOARCH=amd64') == 1
return true
