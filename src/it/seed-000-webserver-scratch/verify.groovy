import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// No go.mod and no <builder><image>: the default builder image.
assert log =~ /(Pulled|Checked) docker\.io\/library\/golang:1\.26-alpine -> /
assert log.contains('No go.mod: building the files of . directly: [main.go]')
assert log.contains('Base image: scratch')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/seed000-scratch@${digest}"
def image = ItChecks.inspect(ref, false)
assert image.path('Layers').size() == 1
// The extra tag points at the same image.
assert ItChecks.inspect("docker://${registry}/it/seed000-scratch:latest", false).path('Digest').asText() == digest
assert ItChecks.inspect("docker://${registry}/it/seed000-scratch:1.0", false).path('Digest').asText() == digest

def answer = ItChecks.serveImage(new File(testbedDir), ref, 8080, '/msbuild')
assert answer.contains('Hola Multibuild Docker: /msbuild')

// Size: within 5% (plus 2 KB) of gzip -9 of the stripped binary.
long binaryGz = ItChecks.gzip9Size(new File(basedir, 'target/msbuild/webserver'))
long total = ItChecks.layersSize(ItChecks.inspect(ref, true))
println "seed 000 on scratch: image layers ${total} bytes, gzip -9 binary ${binaryGz} bytes"
assert Math.abs(total - binaryGz) <= binaryGz * 0.05 + 2048
