import dev.msbuild.it.ItChecks

def docker = new File(basedir, 'target/docker/image.tar')
def oci = new File(basedir, 'target/oci/image.tar')
assert docker.isFile() && oci.isFile()

// skopeo reads each in its own format; both hold the alpine layer and ours.
def fromDocker = ItChecks.inspect("docker-archive:${docker}", false)
def fromOci = ItChecks.inspect("oci-archive:${oci}:1.0", false)
assert fromDocker.path('Layers').size() == 2
assert fromOci.path('Layers').size() == 2
// Same image content either way: the same config (labels, env) and the same layer count.
assert fromDocker.path('Labels') == fromOci.path('Labels')
assert ItChecks.inspect("oci-archive:${oci}:1.0", true).path('mediaType').asText() == 'application/vnd.oci.image.manifest.v1+json'
assert ItChecks.inspect("docker-archive:${docker}", true).path('mediaType').asText() == 'application/vnd.docker.distribution.manifest.v2+json'

// An OCI layout is a tar with oci-layout and index.json at its root.
def entries = ItChecks.run(['tar', '-tf', oci.path], null).readLines()
assert entries.contains('oci-layout') && entries.contains('index.json')
assert ItChecks.run(['tar', '-tf', docker.path], null).readLines().contains('manifest.json')

assert ItChecks.runImage(new File(testbedDir), "oci-archive:${oci}:1.0", null).contains('hello from a tar')
assert ItChecks.runImage(new File(testbedDir), "docker-archive:${docker}", null).contains('hello from a tar')

assert ItChecks.readJson(new File(basedir, 'target/oci/image.json')).path('format').asText() == 'OCI'
assert ItChecks.readJson(new File(basedir, 'target/docker/image.json')).path('format').asText() == 'Docker'
def log = new File(basedir, 'build.log').text
assert log.contains('an OCI image layout')
assert log.contains('docker load -i')

// The OCI layout carries the image's SBOM and provenance as its referrers: oras finds them in it.
def bin = ItChecks.testbedProperty('testbed.supplyChainBin')
def layout = new File(basedir, 'target/oci/layout')
layout.mkdirs()
ItChecks.run(['tar', '-xf', oci.path, '-C', layout.path], null)
def ociDigest = ItChecks.readJson(new File(basedir, 'target/oci/image.json')).path('digest').asText()
def found = ItChecks.readJsonText(ItChecks.run(["${bin}/oras", 'discover', '--oci-layout', '--format', 'json',
    "${layout.path}@${ociDigest}"].collect { it.toString() }, null))
assert found.path('referrers').collect { it.path('artifactType').asText() }.sort() == ['application/spdx+json', 'application/vnd.in-toto+json']
def listed = ItChecks.readJson(new File(basedir, 'target/oci/image.json')).path('attachments').collect { it.path('digest').asText() } as Set
assert found.path('referrers').collect { it.path('digest').asText() } as Set == listed
