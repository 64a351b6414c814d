def log = new File(basedir, 'build.log').text
assert log.contains('msbuild:image failed: Image docker.io/library/golang:0.99-alpine was not found for linux/amd64')
assert log.contains('Setting: <builder><image> (-Dmsbuild.builder.image)')
assert log.contains('Fix: check the image name and tag')
// Users see the message, not a stack trace.
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
