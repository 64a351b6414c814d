def log = new File(basedir, 'build.log').text
// The default builder image is logged with the go.mod line it came from...
assert log.contains('Builder image docker.io/library/golang:1.99-alpine from go.mod line 3: go 1.99.0')
// ...and the not-found error says so, naming the setting that overrides it.
assert log.contains('msbuild:image failed: Image docker.io/library/golang:1.99-alpine was not found for linux/amd64')
assert log.contains('No <builder><image> is set: this image was chosen from go.mod line 3: go 1.99.0.')
assert log.contains('Setting: <builder><image> (-Dmsbuild.builder.image)')
assert log.contains('Fix: set <builder><image> (-Dmsbuild.builder.image) to a builder image that exists')
assert !log.contains('at dev.msbuild.')
return true
