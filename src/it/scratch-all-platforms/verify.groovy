import dev.msbuild.it.ItChecks

def expected = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64']
def platformOf = { entry ->
  def p = entry.path('platform')
  p.path('os').asText() + '/' + p.path('architecture').asText() + (p.has('variant') ? '/' + p.path('variant').asText() : '')
}

// Pushed: a Docker manifest list (the default format) with one entry per platform, each a valid image.
def ref = "docker://${registry}/it/all-platforms:1.0"
def list = ItChecks.inspect(ref, true)
assert list.path('mediaType').asText() == 'application/vnd.docker.distribution.manifest.list.v2+json'
assert list.path('manifests').collect { platformOf(it) } == expected
list.path('manifests').each { entry ->
  def platformRef = "docker://${registry}/it/all-platforms@${entry.path('digest').asText()}"
  def config = ItChecks.inspectConfig(platformRef)
  assert config.path('architecture').asText() == entry.path('platform').path('architecture').asText()
  assert ItChecks.inspect(platformRef, true).path('mediaType').asText() == entry.path('mediaType').asText()
}
// skopeo copies every platform of it: the index and all it points to are consistent.
def copy = File.createTempDir()
try {
  ItChecks.run(['skopeo', 'copy', '--all', '--src-tls-verify=false', ref.toString(), "oci:${copy}:all".toString()], null)
} finally {
  copy.deleteDir()
}

// Written: a multi-platform OCI layout archive whose index names all seven.
def tar = new File(basedir, 'target/layout/image.tar')
def top = new groovy.json.JsonSlurper().parseText(ItChecks.run(['tar', '-xOf', tar.path, 'index.json'], null))
// The index under its tag, then each platform's SBOM and provenance as the layout's referrers.
def tagged = top.manifests.findAll { it.annotations?.get('org.opencontainers.image.ref.name') == '1.0' }
assert tagged.size() == 1
assert (top.manifests - tagged).collect { it.artifactType }.countBy { it } == ['application/spdx+json': 7, 'application/vnd.in-toto+json': 7]
def nested = tagged[0].digest.substring(7)
def layoutIndex = new groovy.json.JsonSlurper().parseText(ItChecks.run(['tar', '-xOf', tar.path, "blobs/sha256/${nested}".toString()], null))
assert layoutIndex.mediaType == 'application/vnd.oci.image.index.v1+json'
assert layoutIndex.manifests.collect { it.platform.os + '/' + it.platform.architecture + (it.platform.variant ? '/' + it.platform.variant : '') } == expected
def inspected = ItChecks.inspect("oci-archive:${tar}:1.0", false)
assert inspected.path('Architecture').asText() == 'amd64'
assert ItChecks.runImage(new File(testbedDir), "oci-archive:${tar}:1.0", null).contains('hello from linux/amd64')
assert ItChecks.run(['bash', new File(testbedDir, 'run-image.sh').path, '--arch', 'arm/v7', "oci-archive:${tar}:1.0".toString()], null)
    .contains('hello from linux/arm')

def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
assert json.path('manifests').size() == 7
