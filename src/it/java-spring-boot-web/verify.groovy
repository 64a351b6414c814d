import dev.msbuild.it.ItChecks

// A Spring Boot web app with nothing but the plugin added: no <mainClass>, the repackage plugin on.
def log = new File(basedir, 'build.log').text
assert log.contains('Main class dev.msbuild.it.boot.WebApplication, from the Start-Class of java-spring-boot-web-1.0.jar\'s manifest (Spring Boot)')
assert log.contains('Spring Boot project: java-spring-boot-web-1.0.jar is the repackaged jar')
assert log =~ /Left out spring-boot-devtools-4\.0\.7\.jar/
assert new File(basedir, 'target/java-spring-boot-web-1.0.jar.original').isFile()

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
// The first push to this repository mounts the JRE's layers from library/eclipse-temurin, in the
// same registry, instead of sending them (a registry kept from an earlier run has them already).
if (!log.contains('0 B pushed')) {
  assert log =~ /Mounted layer sha256:[0-9a-f]{12} \([0-9.]+ MB\) from library\/eclipse-temurin: nothing sent/
}
def ref = "docker://${registry}/it/java-spring-boot-web@${digest}"
def layers = ItChecks.layerListings(ref, null).collect { l -> l.readLines().collect { it.tokenize()[-1] } }
def files = layers.flatten()
// Jib's layout: dependencies, resources, classes, then the classpath file; never the fat jar, never devtools.
assert files.contains('app/classes/dev/msbuild/it/boot/WebApplication.class')
assert files.any { it ==~ /app\/libs\/spring-webmvc-.*\.jar/ } && files.any { it ==~ /app\/libs\/tomcat-embed-core-.*\.jar/ }
assert !files.any { it.contains('devtools') }
assert !files.any { it.endsWith('java-spring-boot-web-1.0.jar') || it.contains('BOOT-INF') }
assert layers[-1] == ['app/', 'app/classpath.argfile']

def image = ItChecks.inspectConfig(ref)
def config = image.path('config')
assert config.path('Entrypoint').collect { it.asText() } == ['java', '-cp', '@/app/classpath.argfile', 'dev.msbuild.it.boot.WebApplication']
// Labels from what this pom declares only: nothing of spring-boot-starter-parent's description, license or URLs.
def labels = config.path('Labels')
println labels.toPrettyString()
def prefix = 'org.opencontainers.image.'
assert labels.path(prefix + 'title').asText() == 'java-spring-boot-web'
assert labels.path(prefix + 'version').asText() == '1.0'
['description', 'licenses', 'url', 'source'].each { assert labels.path(prefix + it).isMissingNode() : "label $it from the parent" }

// The image serves the page.
def page = ItChecks.serveImage(new File(testbedDir), ref, 8080, '/hello?name=msbuild', 60)
println page
assert page.contains('Hello from Spring Boot 4.0.7 built by msbuild, msbuild!')

// Packaged: the project's own jar, which the repackaging kept as .jar.original, not the fat jar.
def cache = new File(basedir, '../../it-cache').canonicalPath
def packaged = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${cache}", '-Dmsbuild.java.mode=packaged',
    "-Dmsbuild.to.image=${registry}/it/java-spring-boot-web:packaged"]), new File(basedir, 'build-packaged.log'))
assert packaged.contains('the image takes java-spring-boot-web-1.0.jar.original, the project\'s own jar')
def packagedRef = "docker://${registry}/it/java-spring-boot-web:packaged"
def jarLines = ItChecks.layerListings(packagedRef, null).collectMany { it.readLines() }.findAll { it.contains('app/java-spring-boot-web') }
assert jarLines.size() == 1 && jarLines[0].tokenize()[-1] == 'app/java-spring-boot-web-1.0.jar'
assert (jarLines[0].tokenize()[2] as long) < 100_000 : "the fat jar went in: ${jarLines[0]}"
def packagedPage = ItChecks.serveImage(new File(testbedDir), packagedRef, 8080, '/hello?name=packaged', 60)
assert packagedPage.contains('Hello from Spring Boot 4.0.7 built by msbuild, packaged!')

// The same app with a jlink runtime: jdeps over target/classes with the jars on --class-path
// finds the modules without any listed by hand, and the runtime serves the page on a glibc-only base.
// A cache of its own, emptied first: the stage cache of an earlier run would hold this runtime.
def jlinkCache = new File(basedir, 'target/jlink-cache')
jlinkCache.deleteDir()
def jlinkArgs = ['msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${jlinkCache}",
    '-Dmsbuild.java.jlink=true', '-Dmsbuild.builder.image=eclipse-temurin:25-jdk',
    "-Dmsbuild.from.image=${registry}/testbed/debian-glibc:12", "-Dmsbuild.to.image=${registry}/it/java-spring-boot-web:jlink"]
def jlink = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, jlinkArgs), new File(basedir, 'build-jlink.log'))
assert jlink =~ /--ignore-missing-deps -q --recursive --multi-release 25 --print-module-deps --class-path \S+spring-webmvc-/
def found = (jlink =~ /Modules found by jdeps: (\S+)/)
assert found.find() : 'jdeps found no modules:\n' + jlink
def modules = found.group(1).split(',') as List
println "jdeps: ${modules}"
assert modules.containsAll(['java.base', 'java.naming', 'java.management', 'java.sql', 'jdk.unsupported'])
assert !jlink.contains('Modules by the fallback')
def jlinkRef = "docker://${registry}/it/java-spring-boot-web:jlink"
assert ItChecks.inspectConfig(jlinkRef).path('config').path('Entrypoint').collect { it.asText() } ==
    ['/opt/java/bin/java', '-cp', '@/app/classpath.argfile', 'dev.msbuild.it.boot.WebApplication']
// Nothing changed: jdeps and jlink do not run again, and the image is the same.
def jlinkDigest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def again = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, jlinkArgs), new File(basedir, 'build-jlink-again.log'))
assert again.contains("Builder stage skipped: jlink's inputs (") && again.contains('a runtime the stage cache has; reusing it')
assert !again.contains('/bin/jdeps ') && !again.contains('/bin/jlink ')
// The JDK builder image is not even asked for: its tag as last resolved here matched.
assert again.contains('as last resolved, ') && again.contains(', not asked for (mvn -U asks)')
assert !again.contains('eclipse-temurin:25-jdk ->')
assert new File(basedir, 'target/msbuild/image.digest').text.trim() == jlinkDigest
def jlinkPage = ItChecks.serveImage(new File(testbedDir), jlinkRef, 8080, '/hello?name=jlink', 60)
assert jlinkPage.contains('Hello from Spring Boot 4.0.7 built by msbuild, jlink!')
return true
