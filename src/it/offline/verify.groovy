import dev.msbuild.it.ItChecks

def online = new File(basedir, 'build-online.log').text
def log = new File(basedir, 'build.log').text
// Both images from the cache, by the digests their tags resolved to online.
def golang = (online =~ /(?:Pulled|Checked) docker\.io\/library\/golang:1\.26-alpine -> \S+@(sha256:[0-9a-f]{64})/)[0][1]
def alpine = (online =~ /(?:Pulled|Checked) docker\.io\/library\/alpine:3\.20 -> \S+@(sha256:[0-9a-f]{64})/)[0][1]
assert log.contains("Offline: docker.io/library/golang:1.26-alpine -> ${golang} (resolved ")
assert log.contains("Offline: docker.io/library/alpine:3.20 -> ${alpine} (resolved ")
assert !log.contains('Pulled ') && !log.contains('Checked ')
def tar = new File(basedir, 'target/msbuild/image.tar')
assert ItChecks.readJson(new File(basedir, 'target/msbuild/image.json')).path('baseDigest').asText() == alpine
assert ItChecks.serveImage(new File(testbedDir), "docker-archive:${tar}", 8080, '/offline').contains('Hola Multibuild Docker: /offline')

def offline = { List<String> args, String name ->
  def out = new File(basedir, name)
  def command = ItChecks.mavenCommand(localRepositoryPath, ['-o'] + args + ['-Dmsbuild.registryMirrors=docker.io=127.0.0.1:9',
      '-Dmsbuild.cacheDirectory=target/offline-cache', "-Dtestbed.registry=${registry}".toString()])
  def process = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(out).start()
  [process.waitFor(), out.text]
}
// A push needs the network: refused, naming -o, before anything is built.
def (pushExit, push) = offline(['msbuild:image'], 'build-push.log')
assert pushExit != 0
assert push.contains('msbuild:image pushes to a registry, and Maven is offline (-o).')
assert !push.contains('Offline: ')
// An image this machine never pulled: "offline and not cached", naming the setting.
def (missingExit, missing) = offline(['package', 'msbuild:tar', '-Dmsbuild.from.image=alpine:3.19'], 'build-missing.log')
assert missingExit != 0
assert missing.contains('Maven is offline (-o), and image docker.io/library/alpine:3.19 is not in the cache: its tag was never resolved on this machine.')
assert missing.contains('Setting: <from><image> (-Dmsbuild.from.image)')
// The builder stage alone, with the builder pinned by digest, offline.
def (buildExit, build) = offline(['msbuild:build', "-Dmsbuild.builder.image=golang@${golang}".toString()], 'build-pinned.log')
assert buildExit == 0 : build
assert build.contains("Offline: docker.io/library/golang@${golang} -> ${golang} (linux/amd64: ")
assert build.contains(", from the cache; no registry asked")
// A registry cache is not asked either: offline, this machine's cache serves alone.
def (cachedExit, cached) = offline(['package', 'msbuild:tar', '-Dmsbuild.cache.registry=127.0.0.1:9/team/app-cache'], 'build-registry-cache.log')
assert cachedExit == 0 : cached
assert cached.contains('Offline: the registry cache 127.0.0.1:9/team/app-cache is not used; this machine\'s cache is')
assert !cached.contains('[WARNING] Registry cache')
return true
