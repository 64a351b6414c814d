import dev.msbuild.it.ItChecks

// Seed 004's Dockerfile as written: go mod download and go build in golang:1.18, then on
// alpine:latest a RUN apk --no-cache add ca-certificates, here from the test bed's repository.
def log = new File(basedir, 'build.log').text
assert log.contains('[builder 3/4] RUN go mod download')
assert log.contains('[1 1/4] RUN apk --no-cache add ca-certificates')
assert log.contains('Installing ca-certificates (20240705-r0)')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/df-seed004@${digest}"
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Cmd').toString() == '["./myapp"]'
assert config.path('WorkingDir').asText() == '/root'

// The RUN's layer: the bundle apk installed and apk's database, nothing of --no-cache's index.
def alpine = ItChecks.inspect("docker://${registry}/library/alpine:latest", false)
def listings = ItChecks.layerListings(ref, null)
def run = listings[alpine.path('Layers').size()]
println run
assert run =~ /(?m)^-rw-r--r-- 0\/0 .* etc\/ssl\/certs\/ca-certificates\.crt$/
assert run =~ /(?m) lib\/apk\/db\/installed$/
assert !run.contains('var/cache/apk/APKINDEX')
assert listings[-1] =~ /(?m)^-rwxr-xr-x 0\/0 .* root\/myapp$/

// The program finds the bundle and its certificates.
def out = ItChecks.runImage(new File(testbedDir), ref, null)
def m = out =~ /CA bundle \/etc\/ssl\/certs\/ca-certificates\.crt: (\d+) certificates/
assert m.find()
assert (m.group(1) as int) > 50
