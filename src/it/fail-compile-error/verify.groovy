def log = new File(basedir, 'build.log').text
assert log.contains('msbuild:image failed: go build failed with exit code 1.')
assert log =~ /Command: GOOS=linux GOARCH=amd64 CGO_ENABLED=0 \S+\/go build -trimpath -buildvcs=(false|auto)/
assert log.contains('undefined: greeting')
assert log.contains('Setting: <builder><mainPackage> (-Dmsbuild.builder.mainPackage)')
assert log.contains('Fix: fix the compile errors shown above')
// Nothing half-built is left where a later build would take it.
assert !new File(basedir, 'target/msbuild/fail-compile-error').exists()
assert !new File(basedir, 'target/msbuild/image.digest').exists()
// Users see the message, not a stack trace.
assert !log.contains('at dev.msbuild.')
assert !log.contains('Exception:')
