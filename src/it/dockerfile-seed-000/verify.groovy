import dev.msbuild.it.ItChecks

// Seed 000's Dockerfile, run as written: the builder stage in golang:alpine, the final stage on alpine.
def log = new File(basedir, 'build.log').text
assert log.contains('Dockerfile: 2 stage(s); building stage 1, which needs builder, 1')
assert log.contains('[builder 1/3] WORKDIR /go/src/app')
assert log.contains('[builder 3/3] RUN go build -o webserver .')
assert log.contains('[1 2/3] COPY --from=builder /go/src/app/ /app/')
assert log.contains('[1 3/3] CMD ["./webserver"]')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/df-seed000@${digest}"
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Cmd').toString() == '["./webserver"]'
assert config.path('WorkingDir').asText() == '/app'
assert !config.has('Entrypoint') || config.path('Entrypoint').isNull() || config.path('Entrypoint').size() == 0

// alpine:latest's layers (the test bed's adds its apk repository), then WORKDIR /app, then the
// copy of the builder's /go/src/app.
def alpine = ItChecks.inspect("docker://${registry}/library/alpine:latest", false)
def image = ItChecks.inspect(ref, false)
assert image.path('Layers').size() == alpine.path('Layers').size() + 2
assert image.path('Layers').get(0).asText() == alpine.path('Layers').get(0).asText()
def listings = ItChecks.layerListings(ref, null)
assert listings[-1] =~ /(?m)^-rwxr-xr-x 0\/0 .* app\/webserver$/
assert listings[-1] =~ /(?m)^-rw-r--r-- 0\/0 .* app\/main\.go$/

// It serves what the seed says.
def answer = ItChecks.serveImage(new File(testbedDir), ref, 8080, '/msbuild')
assert answer.contains('Hola Multibuild Docker: /msbuild')
