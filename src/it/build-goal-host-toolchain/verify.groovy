import dev.msbuild.it.ItChecks

def binary = new File(basedir, 'target/msbuild/hello')
assert binary.canExecute()
assert ItChecks.run([binary.path], null).trim() == 'hello from msbuild, version 1.0'
def log = new File(basedir, 'build.log').text
assert log.contains("with the host's ")
assert !log.contains('Pulled ') && !log.contains('Checked ')
assert !new File(basedir, 'target/msbuild/image.digest').exists()
