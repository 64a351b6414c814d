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

// Its SBOM, attached as a referrer: the application and commons-lang3 by their Maven coordinates
// and the jar's sha256, as syft finds the jar too.
def cmd = { List parts -> parts.collect { it.toString() } }
def bin = ItChecks.testbedProperty('testbed.supplyChainBin')
def repo = "${registry}/it/java-jib-style"
def sbomFile = ItChecks.referrerDocument("${bin}/oras", repo, digest, 'application/spdx+json', new File(basedir, 'target/sbom.spdx.json'))
println ItChecks.run(cmd(["${bin}/spdx-validate", sbomFile.path]), null)
def spdx = ItChecks.readJson(sbomFile)
def byPurl = [:]
spdx.path('packages').each { p -> p.path('externalRefs').each { byPurl[it.path('referenceLocator').asText()] = p } }
def lang3 = byPurl['pkg:maven/org.apache.commons/commons-lang3@3.17.0']
assert lang3 != null : byPurl.keySet()
def jar = new File(localRepositoryPath.toString(), 'org/apache/commons/commons-lang3/3.17.0/commons-lang3-3.17.0.jar')
def jarSha = java.security.MessageDigest.getInstance('SHA-256').digest(jar.bytes).encodeHex().toString()
assert lang3.path('checksums').get(0).path('checksumValue').asText() == jarSha
assert byPurl.keySet().any { it.startsWith('pkg:maven/dev.msbuild.it/java-jib-style@') }
def syftOut = new File(basedir, 'target/syft.json')
syftOut.text = ItChecks.runWithEnv(cmd(["${bin}/syft", 'scan', "registry:${repo}@${digest}", '-o', 'syft-json', '-q']),
    ['SYFT_REGISTRY_INSECURE_USE_HTTP': 'true', 'SYFT_CHECK_FOR_APP_UPDATE': 'false'])
// syft names the jar in our layers by the same package URL (the base's own JRE jars are the base image's).
def syftJars = ItChecks.readJson(syftOut).path('artifacts').findAll { it.path('type').asText() == 'java-archive' }
    .collect { it.path('purl').asText() }
println "syft's java archives: ${syftJars}"
assert syftJars.contains('pkg:maven/org.apache.commons/commons-lang3@3.17.0')
return true
