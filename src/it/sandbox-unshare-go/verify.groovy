import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('Isolation: sandbox via unshare (')
assert !log.contains('Isolation: sandbox via bubblewrap')
assert new File(basedir, 'target/msbuild/webserver').canExecute()

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert digest ==~ /sha256:[0-9a-f]{64}/
def ref = "docker://${registry}/it/sandbox-unshare-go@${digest}"
// scratch: only the artifact's layer.
assert ItChecks.inspect(ref, false).path('Layers').size() == 1
assert ItChecks.inspectConfig(ref).path('config').path('Entrypoint').toString() == '["/app/webserver"]'

def answer = ItChecks.serveImage(new File(testbedDir), ref, 8080, '/msbuild')
assert answer.contains('Hola Multibuild Docker: /msbuild')
