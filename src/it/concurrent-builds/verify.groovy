import dev.msbuild.it.ItChecks

// Each round: a new line in app/main.go, then two builds of this project started together. One
// compiles and pushes; the other waits for the project's lock, then finds nothing changed.
def logs = new File(basedir, 'logs')
logs.mkdirs()
def main = new File(basedir, 'app/main.go')
def tag = "docker://${registry}/it/concurrent:1.0"
def mvn = { List extra -> ItChecks.mavenCommand(localRepositoryPath, ['-nsu', 'package', 'msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/concurrent-cache'] + extra) }

int builds = 0, succeeded = 0, waited = 0, sandboxBuilds = 0, sandboxSucceeded = 0
def failures = []
def rounds = (1..10).collect { [name: "round ${it}", extra: []] } +
    [[name: 'sandbox round', extra: ['-Dmsbuild.builder.isolation=sandbox']]]
rounds.eachWithIndex { round, i ->
  def text = "${round.name}".toString()
  main.text = main.text.replaceFirst(/const round = ".*"/, "const round = \"${text}\"")
  def outputs = ItChecks.runMavenTogether(basedir, [mvn(round.extra), mvn(round.extra)],
      [new File(logs, "${i + 1}-a.log"), new File(logs, "${i + 1}-b.log")])
  def digests = []
  outputs.eachWithIndex { result, j ->
    round.extra ? sandboxBuilds++ : builds++
    if (result.key == 0 && result.value.contains('BUILD SUCCESS')) {
      round.extra ? sandboxSucceeded++ : succeeded++
    } else {
      failures << "${round.name}, build ${j == 0 ? 'a' : 'b'} exited with ${result.key}:\n${result.value}"
    }
    if (result.value.contains('Waiting for another build of this project to finish (lock ')) {
      waited++
    }
    def image = (result.value =~ /Image: ${java.util.regex.Pattern.quote(registry)}\/it\/concurrent@(sha256:[0-9a-f]{64})/)
    digests << (image.find() ? image.group(1) : null)
  }
  if (failures.isEmpty()) {
    // Both builds of the round pushed one image: the one target/msbuild/image.digest names, and
    // the one the registry has under the tag.
    def file = new File(basedir, 'target/msbuild/image.digest').text.trim()
    assert digests[0] != null && digests[0] == digests[1] : "${round.name}: the two builds pushed ${digests}"
    assert file == digests[0] : "${round.name}: image.digest has ${file}, the builds pushed ${digests}"
    assert ItChecks.rawDigest(tag) == digests[0] : "${round.name}: the registry's tag is not what both builds pushed"
    def answer = ItChecks.serveImage(new File(testbedDir), "docker://${registry}/it/concurrent@${digests[0]}", 8080, '/concurrent')
    assert answer.contains("Round ${text}: /concurrent") : "${round.name}: the image answered ${answer}"
    if (round.extra) {
      assert outputs.every { it.value.contains('Isolation: sandbox via ') || it.value.contains('Builder stage skipped') }
    }
    println "${round.name}: both builds pushed ${digests[0]}"
  }
}
println "concurrent builds: ${succeeded}/${builds} succeeded in 10 direct rounds, ${sandboxSucceeded}/${sandboxBuilds} in the " +
    "sandbox round; ${waited} of them waited for the other build's lock"
assert failures.isEmpty() : failures.join('\n\n')
assert succeeded == builds && builds == 20
assert sandboxSucceeded == sandboxBuilds && sandboxBuilds == 2
// Started together, the second of a pair reaches the lock while the first compiles or pushes.
assert waited >= 1

// Nothing either build wrote half-way is left in target/msbuild.
def leftovers = ItChecks.namesContaining(new File(basedir, 'target/msbuild'), '.tmp-')
assert leftovers.isEmpty() : leftovers
return true
