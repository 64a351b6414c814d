import dev.msbuild.it.ItChecks

// Seed 002's Dockerfile as written: golang:1.14.4-alpine builds /go/bin/app, alpine:latest runs it.
def first = new File(basedir, 'build-first.log').text
assert first.contains('[builder 3/3] RUN go build -o /go/bin/app main.go')
assert first.contains('Unpacking Dockerfile image docker.io/library/golang:1.14.4-alpine')

// The second build found every instruction in the stage cache: nothing ran, golang was not
// unpacked nor its layers pulled, and the image is the same.
def log = new File(basedir, 'build.log').text
assert log.contains('[builder 1/3] WORKDIR /go/src/app (cached)')
assert log.contains('[builder 3/3] RUN go build -o /go/bin/app main.go (cached)')
assert log.contains('[1 1/2] COPY --from=builder /go/bin/app /usr/local/bin/app (cached)')
assert !log.contains('Unpacking Dockerfile image')
assert !log.contains('RUN instructions run in a sandbox')
assert !(log =~ /Pulled docker\.io\/library\/golang/)
def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert new File(basedir, 'first.digest').text.trim() == digest

def ref = "docker://${registry}/it/df-seed002@${digest}"
def image = ItChecks.inspect(ref, false)
// alpine:latest's layers and the one COPY.
def alpine = ItChecks.inspect("docker://${registry}/library/alpine:latest", false)
assert image.path('Layers').size() == alpine.path('Layers').size() + 1
assert ItChecks.inspectConfig(ref).path('config').path('Cmd').toString() == '["app"]'
def listings = ItChecks.layerListings(ref, null)
assert listings[-1] =~ /(?m)^-rwxr-xr-x 0\/0 .* usr\/local\/bin\/app$/
def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.readLines().contains('hello world')
