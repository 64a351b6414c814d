def log = new File(basedir, 'build.log').text
assert log.contains("/Team/App:1.0' is not a valid image reference: the repository part 'Team' has upper-case letters.")
assert log.contains('Setting: <to><image> (-Dmsbuild.to.image)')
assert log.contains('Fix: write it as [registry[:port]/]repository[:tag][@sha256:digest] in lower case')
assert !log.contains('Builder stage:')
// Users see the message, not a stack trace.
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
