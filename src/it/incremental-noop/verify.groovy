import dev.msbuild.it.ItChecks

def first = new File(basedir, 'build-first.log').text
assert first.contains('$ GOOS=linux GOARCH=amd64')
def firstJson = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))

// The invoker's build changed nothing: no compiler ran, nothing was pushed, and the log says why.
def noop = new File(basedir, 'build.log').text
assert noop.contains('Builder stage skipped: its inputs are those of the last build')
assert !noop.contains('$ GOOS=') && !noop.contains('[go] ')
assert noop.contains("Push skipped: ${registry} already has this image (")
// Every step of ours was a hit: the artifact's layer came from the stage cache (nothing
// compressed), and the base was only checked (its tag still names what it named).
assert noop =~ /Artifact layer sha256:[0-9a-f]{64}: \/app\/webserver, [0-9,]+ bytes compressed, from the stage cache/
assert !noop.contains(' written in ')
assert noop.contains('Checked docker.io/library/alpine:3.20') && !noop.contains('Pulled docker.io/library/alpine')
// The builder image is not even asked for: the stage's inputs matched with the digest its tag last
// resolved to, so neither the registry nor the unpacked image was needed.
assert noop.contains('the image was not asked for (mvn -U asks its registry for the tag)')
assert !noop.contains('docker.io/library/golang:1.26-alpine ->') && !noop.contains('Unpacking builder image')
def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
assert json.path('pushedBytes').asLong() == 0
assert json.path('reusedBytes').asLong() == json.path('compressedSize').asLong()
def digest = json.path('digest').asText()
assert ItChecks.rawDigest("docker://${registry}/it/incremental:1.0") == digest
assert ItChecks.rawDigest("docker://${registry}/it/incremental:latest") == digest

// A one-line change: one compile, and only the binary's layer goes to the registry; the alpine
// layer is checked and skipped.
def main = new File(basedir, 'app/main.go')
// The new text is this run's own, so its layer is new to the registry even when the test bed's
// registry data outlived an earlier run.
def again = "Hola de nuevo ${System.nanoTime()}"
main.text = main.text.replace('Hola Multibuild Docker: %s', "${again}: %s")
def change = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/incremental-cache']),
    new File(basedir, 'build-change.log'))
assert change.count('$ GOOS=linux GOARCH=amd64') == 1
assert !change.contains('Builder stage skipped') && !change.contains('Push skipped')
def changed = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
def manifest = ItChecks.inspect("docker://${registry}/it/incremental@${changed.path('digest').asText()}", true)
def sizes = manifest.path('layers').collect { it.path('size').asLong() }
assert sizes.size() == 2
assert changed.path('pushedBytes').asLong() == sizes[1]
assert changed.path('reusedBytes').asLong() == sizes[0]
assert ItChecks.serveImage(new File(testbedDir), "docker://${registry}/it/incremental:1.0", 8080, '/again')
    .contains("${again}: /again")

// The same sources in another checkout, on the same cache: its builder stage takes the result the
// stage cache has (no compile), and the image is the one just pushed.
def other = new File(basedir, 'target/other-checkout')
other.deleteDir()
ItChecks.run(['mkdir', '-p', other.path], null)
ItChecks.run(['cp', '-r', new File(basedir, 'pom.xml').path, new File(basedir, 'app').path, other.path], null)
def elsewhere = ItChecks.runMaven(other, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:tar',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${new File(basedir, 'target/incremental-cache')}"]),
    new File(basedir, 'build-other-checkout.log'))
assert elsewhere.contains('a result the stage cache has (no earlier build is recorded in ')
assert !elsewhere.contains('$ GOOS=') && !elsewhere.contains('[go] ')
assert ItChecks.readJson(new File(other, 'target/msbuild/image.json')).path('digest').asText() == changed.path('digest').asText()

// The same image to a repository new to the registry, through a proxy of this scenario's own that
// counts the bytes: the alpine layer is mounted from library/alpine, so only our layer is sent.
def counting = ItChecks.startCountingProxy(new File(testbedDir), registry.toString(), new File(basedir, 'proxy.log'))
try {
  def proxy = counting.value
  def repository = "it/incremental-new-${System.nanoTime()}"
  def command = ['package', 'msbuild:image',
      "-Dtestbed.registry=${proxy}", "-Dmsbuild.registryMirrors=docker.io=${proxy}", "-Dmsbuild.to.image=${proxy}/${repository}:1.0",
      '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/incremental-cache']
  def fresh = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, command),
      new File(basedir, 'build-new-repository.log'))
  assert fresh =~ /Mounted layer sha256:[0-9a-f]{12} \([0-9.]+ MB\) from library\/alpine: nothing sent/
  def pushed = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
  assert pushed.path('digest').asText() == changed.path('digest').asText()
  assert pushed.path('pushedBytes').asLong() == sizes[1]
  def sent = ItChecks.proxyStats(proxy).path('bytes_up').asLong()
  // Beside the layer: the SBOM and provenance documents, and their manifests.
  long attachments = pushed.path('attachments').sum { it.path('size').asLong() + it.path('documentSize').asLong() }
  println "push to a new repository: ${sent} bytes sent, own layer ${sizes[1]} bytes, attachments ${attachments} bytes, base ${sizes[0]} bytes mounted"
  assert pushed.path('attachments').size() == 2 && attachments > 0
  assert sent >= sizes[1] + attachments && sent <= sizes[1] + attachments + 10240
  assert ItChecks.serveImage(new File(testbedDir), "docker://${registry}/${repository}:1.0", 8080, '/mounted')
      .contains("${again}: /mounted")

  // That build again: a no-op in which every step is a hit. The registry is asked only what it
  // must be (the push login, the base's tag, the read-back of the pushed tag, and the referrers
  // tag that lists the SBOM and provenance), nothing is sent.
  def before = ItChecks.proxyStats(proxy)
  def second = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, command), new File(basedir, 'build-second-noop.log'))
  def after = ItChecks.proxyStats(proxy)
  def requests = after.path('requests').asLong() - before.path('requests').asLong()
  def up = after.path('bytes_up').asLong() - before.path('bytes_up').asLong()
  println "second no-op: ${requests} requests, ${up} body bytes sent"
  assert second.contains('Builder stage skipped: its inputs are those of the last build')
  assert second.contains('the image was not asked for')
  assert second =~ /Artifact layer sha256:[0-9a-f]{64}: \/app\/webserver, [0-9,]+ bytes compressed, from the stage cache/
  assert second.contains('Checked docker.io/library/alpine:3.20')
  assert second.contains("Push skipped: ${proxy} already has this image (")
  assert !second.contains(' written in ') && !second.contains('$ GOOS=') && !second.contains('Pushed layer')
  assert up == 0
  assert ItChecks.readJson(new File(basedir, 'target/msbuild/image.json')).path('pushedBytes').asLong() == 0
  assert second.contains('Attachments skipped: ')
  assert requests <= 7 : "a no-op made ${requests} requests: ${new File(basedir, 'proxy.log').readLines().takeRight(requests as int)}"

  // With -U the builder image's tag is asked of the registry (and found unchanged): still no compile.
  def updated = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['-U'] + command),
      new File(basedir, 'build-update-tags.log'))
  assert updated.contains('Checked docker.io/library/golang:1.26-alpine')
  assert updated.contains('Builder stage skipped: its inputs are those of the last build')
  assert !updated.contains('the image was not asked for') && !updated.contains('$ GOOS=')
} finally {
  counting.key.destroy()
}
return true
