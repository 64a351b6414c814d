def log = new File(basedir, 'build.log').text
assert log.contains('Isolation: sandbox via ')
assert log.contains('msbuild:image failed: ')
assert log =~ /exit code 3\b/
// The command as written (the output below proves it ran: the shell expanded it).
assert log.contains('echo "about to $(echo fail)"; echo partial > /out/never; exit 3')
assert log.contains('about to fail')
assert log.contains('Setting: <builder><command> (-Dmsbuild.builder.command)')
// Maven prints the message's lines as '[ERROR]   Fix: ...'.
assert log.readLines().any { it =~ /^(\[ERROR\])?\s+Fix: \S/ }
// A failed build leaves no artifact and no image behind.
assert !new File(basedir, 'target/msbuild/never').exists()
assert !new File(basedir, 'target/msbuild/image.digest').exists()
// Users see the message, not a stack trace.
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
