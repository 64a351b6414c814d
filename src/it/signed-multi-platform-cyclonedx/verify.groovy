import dev.msbuild.it.ItChecks

// A multi-platform image: each platform's image has its own SBOM (CycloneDX here) and provenance
// as referrers; cosign verifies the signatures and the signed attestations; a tampered one fails.
def log = new File(basedir, 'build.log').text
def cmd = { List parts -> parts.collect { it.toString() } }
def bin = ItChecks.testbedProperty('testbed.supplyChainBin')
def repo = "${registry}/it/signed-multi"
def pub = new File(basedir, 'target/keys/cosign.pub').path
def cosignEnv = ['COSIGN_YES': 'true', 'SIGSTORE_NO_CACHE': 'true', 'HOME': new File(basedir, 'target').path]
def cosign = { List args -> ItChecks.attemptWithEnv(cmd(["${bin}/cosign"] + args), cosignEnv) }
def insecure = ['--insecure-ignore-tlog=true', '--allow-http-registry=true', '--allow-insecure-registry=true']
assert !log.contains('BEGIN PRIVATE KEY') && !log.contains(new File(basedir, 'target/keys/cosign.key').text.readLines()[1])

def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
def index = json.path('digest').asText()
def platforms = json.path('manifests').collect { [platform: it.path('platform').asText(), digest: it.path('digest').asText()] }
assert platforms*.platform == ['linux/amd64', 'linux/arm64']
assert json.path('attachments').size() == 4

platforms.each { p ->
  def ref = "${repo}@${p.digest}"
  // oras finds this platform's own two documents.
  def discovered = ItChecks.readJsonText(ItChecks.run(cmd(["${bin}/oras", 'discover', '--plain-http', '--format', 'json', ref]), null))
  def types = discovered.path('referrers').collect { it.path('artifactType').asText() }.sort()
  println "${p.platform}: referrers ${types}"
  assert types == ['application/vnd.cyclonedx+json', 'application/vnd.in-toto+json']
  def sbom = ItChecks.referrerDocument("${bin}/oras", repo, p.digest, 'application/vnd.cyclonedx+json',
      new File(basedir, "target/sbom-${p.platform.replace('/', '-')}.cdx.json"))
  println ItChecks.run(cmd(["${bin}/cdx-validate", sbom.path]), null)
  def bom = ItChecks.readJson(sbom)
  assert bom.path('metadata').path('component').path('version').asText() == p.digest
  def arch = p.platform.split('/')[1]
  def apkArch = arch == 'amd64' ? 'x86_64' : 'aarch64'
  assert bom.path('components').any { it.path('purl').asText().startsWith('pkg:apk/alpine/musl@') && it.path('purl').asText().contains("arch=${apkArch}") }

  // syft scans this platform's image; every package it finds is in this platform's SBOM.
  def syftOut = new File(basedir, "target/syft-${arch}.json")
  syftOut.text = ItChecks.runWithEnv(cmd(["${bin}/syft", 'scan', "registry:${ref}", '--platform', p.platform, '-o', 'syft-json', '-q']),
      ['SYFT_REGISTRY_INSECURE_USE_HTTP': 'true', 'SYFT_CHECK_FOR_APP_UPDATE': 'false'])
  println ItChecks.run(cmd(['python3', "${testbedDir}/sbom-compare.py", syftOut.path, sbom.path]), null)

  // cosign: the signature, the provenance and the SBOM attestations verify with the public key.
  def verified = cosign(['verify', '--key', pub] + insecure + [ref])
  println "cosign verify ${p.platform}: exit ${verified.key}\n${verified.value}"
  assert verified.key == 0
  def provenance = cosign(['verify-attestation', '--key', pub, '--type', 'slsaprovenance1'] + insecure + [ref])
  assert provenance.key == 0 : provenance.value
  assert provenance.value.contains('"predicateType":"https://slsa.dev/provenance/v1"') || provenance.value.contains('payload')
  def sbomAttestation = cosign(['verify-attestation', '--key', pub, '--type', 'cyclonedx'] + insecure + [ref])
  assert sbomAttestation.key == 0 : sbomAttestation.value
}
// The index itself is signed too.
assert cosign(['verify', '--key', pub] + insecure + ["${repo}@${index}"]).key == 0

// Another key does not verify it.
def other = new File(basedir, 'target/keys/other.key')
ItChecks.run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', other.path], null)
ItChecks.run(['openssl', 'pkey', '-in', other.path, '-pubout', '-out', new File(basedir, 'target/keys/other.pub').path], null)
assert cosign(['verify', '--key', new File(basedir, 'target/keys/other.pub').path] + insecure + ["${repo}@${platforms[0].digest}"]).key != 0

// A tampered signature fails: the .sig manifest again, with one character of the signature changed.
def tag = "sha256-${platforms[0].digest.substring(7)}.sig"
def sig = ItChecks.readJsonText(ItChecks.run(cmd(["${bin}/oras", 'manifest', 'fetch', '--plain-http', "${repo}:${tag}"]), null))
def annotations = sig.path('layers').get(0).path('annotations')
String value = annotations.path('dev.cosignproject.cosign/signature').asText()
int at = value.length() / 2
annotations.put('dev.cosignproject.cosign/signature', value.substring(0, at) + (value[at] == 'A' ? 'B' : 'A') + value.substring(at + 1))
def tampered = new File(basedir, 'target/tampered.json')
tampered.text = sig.toString()
ItChecks.run(cmd(["${bin}/oras", 'manifest', 'push', '--plain-http', '--media-type', 'application/vnd.oci.image.manifest.v1+json',
    "${repo}:${tag}", tampered.path]), null)
def refused = cosign(['verify', '--key', pub] + insecure + ["${repo}@${platforms[0].digest}"])
println "tampered: exit ${refused.key}\n${refused.value}"
assert refused.key != 0

// Each platform image still runs on its machine (arm64 under qemu).
assert ItChecks.serveImage(new File(testbedDir), "docker://${repo}@${platforms[0].digest}", 8080, '/signed').contains('/signed')
