import dev.msbuild.it.ItChecks

// The same project under Maven 3.6.3, 3.8 (the invoker's), 3.9 and 4.0, on JDK 17 and 25: one digest.
def jdk17 = System.getProperty('java.home')
def jdk25 = new File('/usr/lib/jvm/temurin-25-jdk-amd64')
assert new File(jdk25, 'bin/java').canExecute() : "JDK 25 is expected in ${jdk25} (this machine's second JDK)"
def mavens = ItChecks.run(["${testbedDir}/mavens.sh".toString(), '3.6.3', '3.9.16', '4.0.0-rc-4'], null).readLines()
    .findAll { it.endsWith('/bin/mvn') } // the script's own log (downloads) is on stderr, merged here
    .collectEntries { [(it =~ /apache-maven-([^\/]+)\/bin\/mvn$/)[0][1], it] }
def combinations = [
    ['3.6.3', jdk17], ['3.9.16', jdk25.path], ['4.0.0-rc-4', jdk17], ['4.0.0-rc-4', jdk25.path]]
def invoker = new File(basedir, 'target/msbuild/image.digest').text.trim()
def digests = [invoker: invoker]
combinations.each { version, javaHome ->
  def jdk = javaHome.contains('25') ? 25 : 17
  def name = "maven-${version}-jdk-${jdk}"
  def command = [mavens[version], '-B', '-V', '-ntp', "-Dmaven.repo.local=${localRepositoryPath}", 'package', 'msbuild:image',
      "-Dcombination=${name}", "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
      '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${basedir}/../../it-cache"]*.toString()
  def output = ItChecks.runMaven(basedir, command, new File(basedir, "build-${name}.log"),
      [JAVA_HOME: javaHome, SOURCE_DATE_EPOCH: '1767225600', MAVEN_OPTS: ''])
  // -V: the build says which Maven and which Java ran it.
  assert output.contains("Apache Maven ${version}") && output =~ /Java version: ${jdk}\b/
  digests[name] = new File(basedir, 'target/msbuild/image.digest').text.trim()
  assert ItChecks.rawDigest("docker://${registry}/it/reproducible-mavens:${name}") == digests[name]
}
println "digests: ${digests}"
assert digests.values().toSet().size() == 1 : "one project, several digests: ${digests}"

// Under every Maven the creation time is SOURCE_DATE_EPOCH's (2026-01-01), not Maven 4's 1980 default.
def config = ItChecks.inspectConfig("docker://${registry}/it/reproducible-mavens@${invoker}")
assert config.path('created').asText().startsWith('2026-01-01T00:00:00')
def labels = config.path('config').path('Labels').fieldNames().toList()
assert labels == labels.toSorted() && labels.containsAll(['a.first', 'team', 'z.last', 'org.opencontainers.image.title'])
def env = config.path('config').path('Env').collect { it.asText() }
assert env.findAll { it ==~ /(ALPHA|GREETING|MIDDLE|ZETA)=.*/ } == ['ALPHA=a', 'GREETING=hola', 'MIDDLE=m', 'ZETA=z']
assert ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/reproducible-mavens@${invoker}", null)
    .contains('same digest: hola')
return true
