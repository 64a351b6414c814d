def log = new File(basedir, 'build.log').text
assert log.contains('msbuild:build failed: ')
assert log.contains('Setting: <builder><isolation> (-Dmsbuild.builder.isolation)')
// Maven prints the message's lines as '[ERROR]   Fix: ...'.
def fix = log.readLines().find { it =~ /^(\[ERROR\])?\s+Fix: \S/ }
assert fix != null && fix.contains('sandbox') : fix
// Bad input fails before anything is pulled or built.
assert !log.contains('Pulled ') && !log.contains('Checked ')
assert !log.contains('Isolation: ')
assert !new File(basedir, 'target/msbuild/app').exists()
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
