import dev.msbuild.it.ItChecks

// Seed 002's Dockerfile as written: golang:1.14.4-alpine builds /go/bin/app, alpine:latest runs it.
def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/df-seed002@${digest}"
def image = ItChecks.inspect(ref, false)
// alpine's layer and the one COPY.
assert image.path('Layers').size() == 2
assert ItChecks.inspectConfig(ref).path('config').path('Cmd').toString() == '["app"]'
def listings = ItChecks.layerListings(ref, null)
assert listings[1] =~ /(?m)^-rwxr-xr-x 0\/0 .* usr\/local\/bin\/app$/
def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.readLines().contains('hello world')
