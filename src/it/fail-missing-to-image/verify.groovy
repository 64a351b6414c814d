def log = new File(basedir, 'build.log').text
assert log.contains('msbuild:image failed: msbuild:image pushes to a registry but no target image is set.')
assert log.contains('Setting: <to><image> (-Dmsbuild.to.image)')
assert log.contains('run msbuild:tar')
// It fails before the builder stage runs.
assert !log.contains('Builder stage:')
// Users see the message, not a stack trace.
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
