import dev.msbuild.it.ItChecks

def tar = new File(basedir, 'target/msbuild/image.tar')
assert tar.isFile()
def image = ItChecks.inspect("docker-archive:${tar}", false)
assert image.path('Layers').size() == 2
assert ItChecks.read(new File(basedir, 'target/msbuild/image.digest')).trim() ==~ /sha256:[0-9a-f]{64}/
def out = ItChecks.runImage(new File(testbedDir), "docker-archive:${tar}", null)
assert out.contains('hello from msbuild')
def log = new File(basedir, 'build.log').text
assert log.contains('docker load -i')
