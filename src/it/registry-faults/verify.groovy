import dev.msbuild.it.ItChecks

// Twenty pushes, each to a repository of its own (so every push sends its layer, config and
// manifest, and mounts alpine's layer), with the pulls of alpine and golang going through the
// same proxy. One request in ten gets a fault drawn from every kind the proxy has.
def rounds = 20
ItChecks.proxyReset(faultyRegistry)
ItChecks.proxyConfigure(faultyRegistry, '{"fault_rate": 0.10, "seed": 1212, "fail_after_manifest_put": 0, ' +
    '"faults": ["500","502","503","429","reset","reset-mid-body","slow-body","upstream-then-500"]}')
def succeeded = []
def failed = []
try {
  (1..rounds).each { i ->
    def log = new File(basedir, "build-${i}.log")
    new File(basedir, 'target/msbuild/image.json').delete()
    def command = ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:image',
        "-Dmsbuild.to.image=${faultyRegistry}/it/faults-${i}:1.0", "-Dmsbuild.registryMirrors=docker.io=${faultyRegistry}",
        '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/faults-cache'])
    def process = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(log)
        .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null'))).start()
    def exit = process.waitFor()
    def output = log.text
    if (exit == 0) {
      def digest = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json')).path('digest').asText()
      assert output.contains("Read back ${faultyRegistry}/it/faults-${i}:1.0: ${digest}")
      succeeded << [round: i, digest: digest]
    } else {
      // A failure is a clear one, and leaves no outputs a pipeline would trust.
      assert output.contains('msbuild:image failed: ') && output.contains('  Fix: '), "round ${i}:\n${output}"
      assert !output.contains('failed unexpectedly'), "round ${i}:\n${output}"
      assert !new File(basedir, 'target/msbuild/image.digest').exists()
      failed << i
    }
  }
} finally {
  ItChecks.proxyConfigure(faultyRegistry, '{"fault_rate": 0}')
}
def stats = ItChecks.proxyStats(faultyRegistry)

// Every tag that was reported pushed is complete: skopeo copies it out of the registry itself
// (not through the proxy), checking every blob against its digest.
def broken = 0
succeeded.each { s ->
  def ref = "docker://${registry}/it/faults-${s.round}:1.0"
  if (ItChecks.rawDigest(ref) != s.digest) {
    broken++
    println "registry faults: round ${s.round} reported ${s.digest} but the registry has ${ItChecks.rawDigest(ref)}"
    return
  }
  def copy = new File(basedir, "target/copy-${s.round}")
  def result = ItChecks.attempt(['skopeo', 'copy', '--quiet', '--src-tls-verify=false', ref.toString(), "dir:${copy}".toString()])
  if (result.key != 0) {
    broken++
    println "registry faults: round ${s.round}: skopeo copy failed: ${result.value}"
  }
}
def retries = (1..rounds).sum { new File(basedir, "build-${it}.log").text.count('; retrying in ') }
println "registry faults: ${rounds} pushes tried, ${succeeded.size()} succeeded, ${failed.size()} failed clearly, " +
    "${broken} broken tags; ${stats.path('faulted').asInt()} of ${stats.path('requests').asInt()} requests faulted " +
    "${stats.path('by_fault')}, ${retries} retries logged"
assert stats.path('faulted').asInt() > 0, 'the proxy injected no fault'
assert succeeded.size() >= 19
assert broken == 0

// And the image runs.
def first = succeeded[0]
assert ItChecks.serveImage(new File(testbedDir), "docker://${registry}/it/faults-${first.round}@${first.digest}", 8080, '/faults')
    .contains('Hola Multibuild Docker: /faults')
return true
