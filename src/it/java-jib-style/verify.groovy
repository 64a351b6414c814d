import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('Builder stage: none; the image takes Maven\'s own outputs')
assert log.contains('Java application: main class dev.msbuild.it.hello.App, 1 dependencies, exploded')
def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/java-jib-style@${digest}"

// The JRE's two layers, then dependencies, resources and classes, each a layer of its own.
def layers = ItChecks.layerListings(ref, null).collect { l -> l.readLines().collect { it.tokenize()[-1] } }
assert layers.size() == 5
assert layers[2] == ['app/', 'app/libs/', 'app/libs/commons-lang3-3.17.0.jar']
assert layers[3] == ['app/', 'app/resources/', 'app/resources/message.txt']
assert layers[4].contains('app/classes/dev/msbuild/it/hello/App.class')
assert !layers[4].any { it.contains('message.txt') } && !layers[3].any { it.endsWith('.class') }

def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Entrypoint').collect { it.asText() } == ['java', '-Dhello.flag=from-jvmFlags', '-Xshare:off', '-cp',
    '/app/resources:/app/classes:/app/libs/commons-lang3-3.17.0.jar', 'dev.msbuild.it.hello.App']
assert config.path('Cmd').collect { it.asText() } == ['maven', 'user']

def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.contains('Hello from a java image built by msbuild, MAVEN USER!')
assert out.contains('flag=from-jvmFlags')
assert out.contains('java.home=/opt/java/openjdk')
assert out.contains('logged through java.logging')
return true
