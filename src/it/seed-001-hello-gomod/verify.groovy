import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// The go line (go 1.26) picks the builder image.
assert log =~ /(Pulled|Checked) docker\.io\/library\/golang:1\.26-alpine -> /
def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/seed001-hello@${digest}"
assert ItChecks.inspect(ref, false).path('Layers').size() == 2
def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.contains('Olá, multistage! Uma imagem pequena com o nosso programinha.')
