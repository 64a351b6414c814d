import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// The parent, which declares the plugin for all, is skipped saying why, before any image is pulled.
assert log.contains('Skipping msbuild:image: reactor-go-java (packaging pom) is a parent of 3 module(s) '
    + '(go-hello, go-web, java-app) with nothing to build of its own: no Go main package (no .go files in ')
assert log.contains('Each module builds its own image.')
assert !new File(basedir, 'target/msbuild').exists()
def parentLine = log.readLines().findIndexOf { it.contains('Skipping msbuild:image: reactor-go-java') }
def firstPull = log.readLines().findIndexOf { it =~ /(Pulled|Checked) docker\.io\/library\// }
assert parentLine >= 0 && firstPull > parentLine

def ref = { String module ->
  def digest = new File(basedir, "${module}/target/msbuild/image.digest").text.trim()
  assert digest ==~ /sha256:[0-9a-f]{64}/
  "docker://${registry}/it/reactor-go-java-${module}@${digest}"
}
def testbed = new File(testbedDir)

def hello = ItChecks.runImage(testbed, ref('go-hello'), null)
assert hello.contains('go-hello: built in a reactor with go-web and java-app')

def web = ItChecks.serveImage(testbed, ref('go-web'), 8080, '/reactor')
assert web.contains('go-web answers /reactor')

def java = ItChecks.runImage(testbed, ref('java-app'), null)
assert java.contains('java-app: built in a reactor with go-hello and go-web, on Java 25')
assert ItChecks.inspectConfig(ref('java-app')).path('config').path('Entrypoint').collect { it.asText() }.contains('dev.msbuild.it.reactor.App')
// Each Go module's image is only its binary on scratch.
assert ItChecks.inspect(ref('go-hello'), false).path('Layers').size() == 1
assert ItChecks.inspect(ref('go-web'), false).path('Layers').size() == 1
return true
