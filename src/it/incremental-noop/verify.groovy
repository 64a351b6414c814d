import dev.msbuild.it.ItChecks

def first = new File(basedir, 'build-first.log').text
assert first.contains('$ GOOS=linux GOARCH=amd64')
def firstJson = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))

// The invoker's build changed nothing: no compiler ran, nothing was pushed, and the log says why.
def noop = new File(basedir, 'build.log').text
assert noop.contains('Builder stage skipped: its inputs are those of the last build')
assert !noop.contains('$ GOOS=') && !noop.contains('[go] ')
assert noop.contains("Push skipped: ${registry} already has this image (")
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
return true
