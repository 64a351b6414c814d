import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// The builder stage: jdeps in the JDK image finds the modules, jlink links only those.
assert log.contains('Builder JDK: 25')
def modules = (log =~ /Modules found by jdeps: (\S+)/)[0][1].split(',') as List
assert modules.contains('java.base') && modules.contains('java.logging')
assert log.contains('--strip-debug --no-header-files --no-man-pages --compress=zip-6 --output /out/runtime')
assert log.contains('Runtime check: the base ') && log.contains('has the glibc loader /lib64/ld-linux-x86-64.so.2')
assert log.contains('Java application: main class dev.msbuild.it.hello.App, 1 dependencies, packaged, jlink runtime of')
// The runtime's layer is large: its upload is logged by the quarter, then done at 100%. (A test
// bed registry kept from an earlier run on this checkout has it already: nothing to upload.)
def runtimeLayer = (log =~ /Java layer (sha256:[0-9a-f]{12})[0-9a-f]*: COPY --from=builder \/out\/runtime/)[0][1]
if (!log.contains('0 B pushed')) {
  assert log =~ /  pushing ${runtimeLayer}: 75% \([0-9.]+ MB of [0-9.]+ MB\)/
  assert log =~ /Pushed layer ${runtimeLayer} \([0-9.]+ MB, 100%\) in /
}

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/java-jlink@${digest}"
// glibc base, then the runtime, the dependency and the packaged jar.
def layers = ItChecks.layerListings(ref, null).collect { l -> l.readLines().collect { it.tokenize()[-1] } }
assert layers.size() == 4
assert layers[1].contains('opt/java/bin/java') && layers[1].contains('opt/java/lib/modules')
assert !layers[1].any { it.contains('/include/') || it.contains('/man/') || it.endsWith('bin/javac') }
assert layers[2] == ['app/', 'app/libs/', 'app/libs/commons-lang3-3.17.0.jar']
assert layers[3] == ['app/', 'app/java-jlink-1.0.jar']
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Entrypoint').collect { it.asText() } == ['/opt/java/bin/java', '-Dhello.flag=from-jvmFlags', '-cp',
    '/app/java-jlink-1.0.jar:/app/libs/commons-lang3-3.17.0.jar', 'dev.msbuild.it.hello.App']
def env = config.path('Env').collect { it.asText() }
assert env.contains('JAVA_HOME=/opt/java') && env.any { it.startsWith('PATH=/opt/java/bin:') }

def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.contains('Hello from a java image built by msbuild, MAVEN USER!')
assert out.contains('flag=from-jvmFlags')
assert out.contains('java.home=/opt/java')
// Only the modules jdeps named and what they require: far fewer than a JRE's.
def booted = (out =~ /modules=(\d+)/)[0][1] as int
assert booted >= modules.size() && booted < 20
assert out.contains('logged through java.logging')

// The runtime layer is smaller than the JRE's (the test bed's eclipse-temurin:25-jre, a jlink of
// every runtime module); bench/java-sizes.sh gives the whole images' sizes.
def jreRef = "docker://${registry}/library/eclipse-temurin:25-jre"
def jreRaw = ItChecks.inspect(jreRef, true)
if (jreRaw.has('manifests')) { // an index: its one platform's manifest
  jreRaw = ItChecks.inspect("docker://${registry}/library/eclipse-temurin@" + jreRaw.path('manifests')[0].path('digest').asText(), true)
}
def jre = jreRaw.path('layers').collect { it.path('size').asLong() }
def ours = ItChecks.inspect(ref, true).path('layers').collect { it.path('size').asLong() }
assert jre.size() == 2 && ours.size() == 4
assert ours[1] < jre[1]

// Ephemeral runners sharing a registry cache. This machine's build again, with the registry cache:
// the runtime is in its stage cache (jlink does not run) and goes to the registry with our layers.
def cmd = { List args -> args.collect { it.toString() } }
def cacheRepo = "${registry}/it/java-jlink-cache"
def common = ["-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cache.registry=${cacheRepo}"]
def a = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, cmd(['package', 'msbuild:image',
    '-Dmsbuild.cacheDirectory=target/jlink-cache'] + common)), new File(basedir, 'build-runner-a.log'))
assert a.contains("jlink's inputs") && a.contains('a runtime the stage cache has')
assert a =~ /Registry cache: exported jlink-[0-9a-f]+ \(/
// Runner B: a fresh checkout and an empty cache directory. The runtime comes from the registry: the
// JDK image is resolved (its digest is part of the key) but neither pulled nor unpacked, jlink does not run.
def b = new File(basedir, 'target/runner-b')
b.deleteDir()
b.mkdirs()
ItChecks.run(cmd(['cp', '-r', new File(basedir, 'pom.xml').path, new File(basedir, 'src').path, b.path]), null)
def runnerB = ItChecks.runMaven(b, ItChecks.mavenCommand(localRepositoryPath, cmd(['package', 'msbuild:image',
    "-Dmsbuild.cacheDirectory=${new File(basedir, 'target/runner-b-cache')}"] + common)), new File(basedir, 'build-runner-b.log'))
assert runnerB =~ /Registry cache: jlink-[0-9a-f]+ imported from /
assert runnerB =~ /Builder stage skipped: jlink's inputs \(the builder image \S*eclipse-temurin:25-jdk as resolved now/
assert !runnerB.contains('Unpacking builder image') && !runnerB.contains('Isolation: sandbox') && !runnerB.contains('Modules found by jdeps')
assert new File(b, 'target/msbuild/image.digest').text.trim() == digest
return true
