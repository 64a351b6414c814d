import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/seed002-hello@${digest}"
def image = ItChecks.inspect(ref, false)
assert image.path('Layers').size() == 1
def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.readLines().contains('hello world')

long binaryGz = ItChecks.gzip9Size(new File(basedir, 'target/msbuild/app'))
long total = ItChecks.layersSize(ItChecks.inspect(ref, true))
println "seed 002 on scratch: image layers ${total} bytes, gzip -9 binary ${binaryGz} bytes"
assert Math.abs(total - binaryGz) <= binaryGz * 0.05 + 2048
