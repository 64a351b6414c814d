import dev.msbuild.it.ItChecks

// The SBOM (SPDX, the default) and the provenance are attached to the pushed image as OCI referrers;
// oras, syft and spdx-tools, installed by the test bed, check them independently.
def log = new File(basedir, 'build.log').text
// Commands as strings (GStrings are not).
def cmd = { List parts -> parts.collect { it.toString() } }
def bin = ItChecks.testbedProperty('testbed.supplyChainBin')
def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def repo = "${registry}/it/sbom-moddep"
def ref = "${repo}@${digest}"
assert log.contains("Attached SBOM (SPDX 2.3")
assert log.contains("Attached provenance (SLSA v1)")
assert log.contains("listed under sha256-${digest.substring(7)} (the referrers tag schema")

// image.json lists each attachment by digest.
def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
def attached = json.path('attachments').collectEntries { [(it.path('artifactType').asText()): it.path('digest').asText()] }
assert attached.keySet() == ['application/spdx+json', 'application/vnd.in-toto+json'] as Set
json.path('attachments').each { assert it.path('subject').asText() == digest }

// oras discover finds both as referrers of the image (through the referrers tag schema on registry 2.8).
def discovered = ItChecks.readJsonText(ItChecks.run(cmd(["${bin}/oras", 'discover', '--plain-http', '--format', 'json', ref]), null))
def referrers = discovered.path('referrers').collectEntries { [(it.path('artifactType').asText()): it.path('digest').asText()] }
println "oras discover: ${referrers}"
assert referrers == attached

// Fetch each document as oras does, by its manifest's one layer.
def sbom = ItChecks.referrerDocument("${bin}/oras", repo, digest, 'application/spdx+json', new File(basedir, 'target/sbom.spdx.json'))
def provenance = ItChecks.referrerDocument("${bin}/oras", repo, digest, 'application/vnd.in-toto+json',
    new File(basedir, 'target/provenance.json'))
for (doc in [sbom, provenance]) {
  def m = ItChecks.readJsonText(ItChecks.run(cmd(["${bin}/oras", 'manifest', 'fetch', '--plain-http',
      "${repo}@${attached[doc == sbom ? 'application/spdx+json' : 'application/vnd.in-toto+json']}"]), null))
  assert m.path('config').path('mediaType').asText() == 'application/vnd.oci.empty.v1+json'
}

// spdx-tools validates the SPDX document.
println ItChecks.run(cmd(["${bin}/spdx-validate", sbom.path]), null)

// Every Go module and apk package syft finds in the pushed image is in our SBOM.
def syftOut = new File(basedir, 'target/syft.json')
syftOut.text = ItChecks.runWithEnv(cmd(["${bin}/syft", 'scan', "registry:${ref}", '-o', 'syft-json', '-q']),
    ['SYFT_REGISTRY_INSECURE_USE_HTTP': 'true', 'SYFT_CHECK_FOR_APP_UPDATE': 'false'])
def compared = ItChecks.run(cmd(['python3', "${testbedDir}/sbom-compare.py", syftOut.path, sbom.path]), null)
println compared
assert compared.contains('github.com/google/uuid')
def spdx = ItChecks.readJson(sbom)
def purls = spdx.path('packages').collectMany { p -> p.path('externalRefs').collect { it.path('referenceLocator').asText() } }
assert purls.contains('pkg:golang/github.com/google/uuid@v1.6.0')
assert purls.any { it.startsWith('pkg:apk/alpine/musl@') }
assert purls.any { it.startsWith('pkg:oci/alpine@sha256') }
def uuidPackage = spdx.path('packages').find { it.path('name').asText() == 'github.com/google/uuid' }
assert uuidPackage.path('checksums').get(0).path('algorithm').asText() == 'SHA256'

// The provenance: subject, builder, the builder and base images by digest, settings without secrets.
def statement = ItChecks.readJson(provenance)
assert statement.path('_type').asText() == 'https://in-toto.io/Statement/v1'
assert statement.path('predicateType').asText() == 'https://slsa.dev/provenance/v1'
assert 'sha256:' + statement.path('subject').get(0).path('digest').path('sha256').asText() == digest
def predicate = statement.path('predicate')
assert predicate.path('runDetails').path('builder').path('id').asText().startsWith('pkg:maven/dev.msbuild/msbuild-maven-plugin@')
def external = predicate.path('buildDefinition').path('externalParameters')
assert external.path('project').asText() == 'dev.msbuild.it:sbom-provenance-moddep:1.0'
assert external.path('goals').collect { it.asText() } == ['package', 'msbuild:image']
assert external.path('settings').path('to.image').asText() == "${registry}/it/sbom-moddep:1.0"
assert external.path('settings').path('to.auth').asText() == '(removed)'
def deps = predicate.path('buildDefinition').path('resolvedDependencies').collect { it.path('uri').asText() + ' ' + it.path('digest').path('sha256').asText() }
println "resolved dependencies: ${deps}"
assert deps.any { it.startsWith('docker://docker.io/library/golang:1.26-alpine ') }
assert deps.any { it.startsWith('docker://docker.io/library/alpine:3.20 ') }
assert !provenance.text.contains('hunter2') && !sbom.text.contains('hunter2') && !log.contains('hunter2')

// The image itself still runs.
assert ItChecks.runImage(new File(testbedDir), "docker://${ref}", null).contains('module dependency ok')

// A second build is a no-op: the registry lists both documents already, nothing is made or sent again.
def second = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, cmd(['-B', 'package', 'msbuild:image', "-Dtestbed.registry=${registry}",
    "-Dmsbuild.registryMirrors=docker.io=${registry}", '-Dmsbuild.allowInsecureRegistries=true',
    "-Dmsbuild.cacheDirectory=${new File(basedir, '../../it-cache').canonicalPath}"])),
    new File(basedir, 'second.log'))
assert second.contains("Push skipped")
assert second.contains("Attachments skipped: it/sbom-moddep lists application/spdx+json, application/vnd.in-toto+json for")
assert ItChecks.readJson(new File(basedir, 'target/msbuild/image.json')).path('attachments').collect { it.path('digest').asText() } as Set ==
    attached.values() as Set

// Reproducible: the same sources written twice as an OCI layout, the second time with an empty
// cache, carry byte-identical SBOM and provenance documents.
def layoutDigests = { String cache ->
  ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, cmd(['-B', 'package', 'msbuild:tar', "-Dtestbed.registry=${registry}",
      "-Dmsbuild.registryMirrors=docker.io=${registry}", '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.tar.format=oci',
      "-Dmsbuild.cacheDirectory=${cache}"])), new File(basedir, "tar-${cache.hashCode()}.log"))
  ItChecks.readJson(new File(basedir, 'target/msbuild/image.json')).path('attachments').collect { it.path('digest').asText() }
}
def warm = layoutDigests(new File(basedir, '../../it-cache').canonicalPath)
def cold = layoutDigests(new File(basedir, 'target/cold-cache').canonicalPath)
println "attachments written twice: ${warm} / ${cold}"
assert warm.size() == 2 && warm == cold

