import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('Isolation: sandbox via ')
// The command saw this machine's Go settings, the persistent caches and the CA bundle, mounted read-only.
assert log.contains('seen GOPROXY=https://proxy.golang.org GONOSUMDB=example.invalid GOFLAGS=-x')
assert log =~ /seen GOCACHE=\/cache\/linux-amd64\/build GOMODCACHE=\/cache\/mod SSL_CERT_FILE=\/run\/msbuild-host-ca\/cert.pem/
assert log.contains('seen ca readable')
assert log.contains('seen ca read-only')
// Cold: the module came through the proxy (over TLS, with that bundle).
assert log.contains('# get https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.zip')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def out = ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/sandbox-command-modules@${digest}", null)
println out
assert out.contains('uuid dae79e88-99f4-548a-8640-562a7aedbcfc')

// Warm, after a one-line edit: no download and no compile of the module; only main is compiled.
def main = new File(basedir, 'main.go')
// The new text is this run's own, so main is not in the shared build cache from an earlier run.
def again = "uuid again ${System.nanoTime()}"
main.text = main.text.replace('"uuid %s\\n"', '"' + again + ' %s\\n"')
def warm = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${new File(basedir, '../../it-cache').canonicalPath}"]),
    ['GOFLAGS': '-x', 'GOPROXY': 'https://proxy.golang.org', 'GONOSUMDB': 'example.invalid',
     'SSL_CERT_FILE': '/etc/ssl/certs/ca-certificates.crt'],
    new File(basedir, 'target/warm.log'))
assert warm =~ /Builder stage runs: .*main\.go changed/
assert !warm.contains('# get ')
assert !(warm =~ /-p github\.com\/google\/uuid /)
assert warm =~ /compile .* -p main /
def warmDigest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/sandbox-command-modules@${warmDigest}", null)
    .contains("${again} dae79e88-99f4-548a-8640-562a7aedbcfc")
return true
