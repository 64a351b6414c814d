def log = new File(basedir, 'build.log').text
assert log.contains("'alpine:3.20@sha256:abc' is not a valid image reference: the digest 'sha256:abc' is not sha256:<64 hex digits>.")
assert log.contains('Setting: <from><image> (-Dmsbuild.from.image)')
// Users see the message, not a stack trace.
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
