import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// The first module unpacked the builder image into the empty cache; the second found it there.
assert log.count('Unpacking builder image docker.io/library/golang:1.26-alpine') == 1
// The toolchain's large layer is never unpacked in silence: a line at each quarter, then 100%.
assert log =~ /  unpacking layer 2 of 2: 75% \([0-9.]+ MB of [0-9.]+ MB compressed\)/
assert log =~ /  unpacked layer 2 of 2 \([0-9.]+ MB compressed, 100%\) in /
def one = new File(basedir, 'one/target/msbuild/image.digest').text.trim()
def two = new File(basedir, 'two/target/msbuild/image.digest').text.trim()
// Two directories, an empty and a warm cache: one digest, and the registry holds that digest under both names.
assert one == two
assert ItChecks.rawDigest("docker://${registry}/it/reproducible-one:1.0") == one
assert ItChecks.rawDigest("docker://${registry}/it/reproducible-two:1.0") == one

// Times come from SOURCE_DATE_EPOCH (2026-01-01T00:00:00Z): the image's creation time, and every
// file of the artifact layer.
def config = ItChecks.inspectConfig("docker://${registry}/it/reproducible-one@${one}")
assert config.path('created').asText().startsWith('2026-01-01T00:00:00')
def layers = ItChecks.layerListings("docker://${registry}/it/reproducible-one@${one}", null)
def artifact = layers[-1].readLines()
assert artifact.size() == 2 && artifact.every { it.contains('2026-01-01 00:00') }

assert ItChecks.serveImage(new File(testbedDir), "docker://${registry}/it/reproducible-two@${two}", 8080, '/same')
    .contains('Hola Multibuild Docker: /same')
return true
