import dev.msbuild.it.ItChecks
import java.nio.file.Files

def ref = "docker://${registry}/it/multi-platform:1.0"

// One OCI index with an entry per platform.
def index = ItChecks.inspect(ref, true)
println index.toPrettyString()
assert index.path('mediaType').asText() == 'application/vnd.oci.image.index.v1+json'
def entries = index.path('manifests').collect { it }
assert entries.size() == 2
assert entries.collect { it.path('platform').path('os').asText() + '/' + it.path('platform').path('architecture').asText() } ==
    ['linux/amd64', 'linux/arm64']
assert new File(basedir, 'target/msbuild/image.digest').text.trim() == ItChecks.rawDigest(ref)

// Each platform: its own base (alpine's entry for it) and its own binary, for the right machine.
def expectedMachine = [amd64: 62, arm64: 183]   // ELF e_machine: EM_X86_64, EM_AARCH64
def baseIndex = ItChecks.inspect("docker://${registry}/library/alpine:3.20", true)
def artifactLayers = []
entries.each { entry ->
  def arch = entry.path('platform').path('architecture').asText()
  def platformRef = "docker://${registry}/it/multi-platform@${entry.path('digest').asText()}"
  def manifest = ItChecks.inspect(platformRef, true)
  assert manifest.path('layers').size() == 2
  def alpineEntry = baseIndex.path('manifests').find { it.path('platform').path('architecture').asText() == arch }
  def alpineLayer = ItChecks.inspect("docker://${registry}/library/alpine@${alpineEntry.path('digest').asText()}", true).path('layers').get(0)
  assert manifest.path('layers').get(0).path('digest').asText() == alpineLayer.path('digest').asText()
  artifactLayers << manifest.path('layers').get(1).path('digest').asText()
  assert ItChecks.inspectConfig(platformRef).path('architecture').asText() == arch

  def binary = ItChecks.extractFromLastLayer(platformRef, 'app/webserver')
  try {
    assert ItChecks.elfMachine(binary) == expectedMachine[arch]
  } finally {
    Files.deleteIfExists(binary)
  }
}
assert artifactLayers.unique().size() == 2

// The amd64 image answers; the arm64 one too, under qemu-user.
assert ItChecks.serveImage(new File(testbedDir), ref, 8080, '/msbuild').contains('Hola Multibuild Docker: /msbuild')
def arm = ItChecks.run(['bash', new File(testbedDir, 'run-image.sh').path, '--arch', 'arm64', '--http', '8080', '/msbuild', ref.toString()], null)
assert arm.contains('Hola Multibuild Docker: /msbuild')

def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
assert json.path('platforms').collect { it.asText() } == ['linux/amd64', 'linux/arm64']
assert json.path('manifests').collect { it.path('digest').asText() } == entries.collect { it.path('digest').asText() }
def log = new File(basedir, 'build.log').text
assert log.contains('[linux/arm64] $ GOOS=linux GOARCH=arm64')
assert log.contains('Pushed the OCI image index of 2 platforms')
