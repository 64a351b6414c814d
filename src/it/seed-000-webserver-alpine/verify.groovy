import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log =~ /(Pulled|Checked) docker\.io\/library\/golang:1\.26-alpine -> /
assert log =~ /(Pulled|Checked) docker\.io\/library\/alpine:3\.20 -> /
assert log =~ /Image: ${registry}\/it\/seed000-alpine@sha256:[0-9a-f]{64}/
// The artifact check ran, and a static binary needed nothing read from the base.
assert log.contains('Artifact check: webserver is a static ELF x86-64 executable')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert digest ==~ /sha256:[0-9a-f]{64}/
def ref = "docker://${registry}/it/seed000-alpine@${digest}"

// skopeo reads what was pushed: alpine's layer, then only the binary.
def alpine = ItChecks.inspect("docker://${registry}/library/alpine:3.20", false)
def image = ItChecks.inspect(ref, false)
assert image.path('Architecture').asText() == 'amd64'
assert image.path('Layers').size() == 2
assert image.path('Layers').get(0).asText() == alpine.path('Layers').get(0).asText()
def config = ItChecks.inspectConfig(ref)
assert config.path('config').path('Entrypoint').toString() == '["/app/webserver"]'
assert config.path('config').path('WorkingDir').asText() == '/app'
assert config.path('config').path('ExposedPorts').has('8080/tcp')
assert !config.path('config').has('Cmd') || config.path('config').path('Cmd').size() == 0

// It runs and answers.
def answer = ItChecks.serveImage(new File(testbedDir), ref, 8080, '/msbuild')
assert answer.contains('Hola Multibuild Docker: /msbuild')

// Size: no larger than the alpine layer plus gzip -9 of the stripped binary.
def manifest = ItChecks.inspect(ref, true)
def alpineLayer = ItChecks.inspect("docker://${registry}/library/alpine:3.20", true)
def alpineAmd64 = alpineLayer.path('manifests').find { it.path('platform').path('architecture').asText() == 'amd64' }
def alpineManifest = ItChecks.inspect("docker://${registry}/library/alpine@${alpineAmd64.path('digest').asText()}", true)
long binaryGz = ItChecks.gzip9Size(new File(basedir, 'target/msbuild/webserver'))
long total = ItChecks.layersSize(manifest)
long limit = ItChecks.layersSize(alpineManifest) + binaryGz
println "seed 000 on alpine: image layers ${total} bytes, alpine layer + gzip -9 binary ${limit} bytes"
assert total <= limit
def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
assert json.path('compressedSize').asLong() == total
