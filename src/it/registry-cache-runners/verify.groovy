import dev.msbuild.it.ItChecks

def cmd = { List args -> args.collect { it.toString() } }
def cacheRepo = "${registry}/it/cache-runners-cache"

// Runner A (the invoker's build, an empty cache directory): compiles, pushes, then exports what it made.
def a = new File(basedir, 'build.log').text
assert a.contains("Registry cache: ${cacheRepo} (readwrite: imported before the build, exported after it)")
assert a.contains('Registry cache: no Go build cache (linux/amd64) under gobuild-')
assert a.contains('$ GOOS=linux GOARCH=amd64') && a.contains('go: downloading github.com/google/uuid v1.6.0')
assert a =~ /Registry cache: exported build-[0-9a-f]{64} \(/
assert a =~ /Registry cache: exported layer-[0-9a-f]{64} \(/
assert a =~ /Registry cache: exported the Go build cache \(linux\/amd64\) to \S+: [0-9,]+ new files in one chunk/
assert a =~ /Registry cache: exported the Go module cache to \S+: [0-9,]+ new files in one chunk/
assert a.contains("Registry cache ${cacheRepo} (readwrite): 0 hits, 4 misses; 0 B downloaded")
def imageA = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json')).path('digest').asText()
assert ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/cache-runners:1.0", null)
    .contains('built once, shared by every runner: ')

// The cache is OCI artifacts in that repository, one tag per key.
def tags = ItChecks.readJsonText(ItChecks.run(cmd(['skopeo', 'list-tags', '--tls-verify=false', "docker://${cacheRepo}"]), null))
    .path('Tags').collect { it.asText() }.sort()
assert tags.size() == 4 : tags
assert tags.count { it.startsWith('build-') } == 1 && tags.count { it.startsWith('layer-') } == 1
assert tags.count { it.startsWith('gobuild-') } == 1 && tags.count { it.startsWith('gomod-') } == 1
def buildTag = tags.find { it.startsWith('build-') }
def goTag = tags.find { it.startsWith('gobuild-') }
def goManifest = ItChecks.inspect("docker://${cacheRepo}:${goTag}", true)
assert goManifest.path('artifactType').asText() == 'application/vnd.dev.msbuild.cache.directory.v1'
assert goManifest.path('layers').size() == 1
assert goManifest.path('layers').every { it.path('mediaType').asText() == 'application/vnd.oci.image.layer.v1.tar+gzip' }
def entry = ItChecks.inspect("docker://${cacheRepo}:${buildTag}", true)
assert entry.path('artifactType').asText() == 'application/vnd.dev.msbuild.cache.stage.v1'

// A fresh checkout of the same commit on another runner.
def checkout = { String name ->
  def dir = new File(basedir, "target/${name}")
  dir.deleteDir()
  dir.mkdirs()
  ItChecks.run(cmd(['cp', '-r', new File(basedir, 'pom.xml').path, new File(basedir, 'app').path, dir.path]), null)
  dir
}
def mvn = { File dir, String name, List extra ->
  def cache = new File(basedir, "target/${name}-cache")
  cache.deleteDir()
  ItChecks.runMaven(dir, ItChecks.mavenCommand(localRepositoryPath, cmd(['package', 'msbuild:image',
      "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
      '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${cache}"] + extra)), new File(basedir, "build-${name}.log"))
}

// Runner B: an empty cache directory, the same sources. The builder stage's result and our layer
// come from the registry cache: no compile, no builder image pulled or unpacked, the same image.
def runnerB = checkout('runner-b')
def b = mvn(runnerB, 'runner-b', [])
assert b.contains("Registry cache: ${buildTag} imported from ${cacheRepo} (")
assert b =~ /Registry cache: layer-[0-9a-f]{64} imported from /
assert b.contains('Builder stage skipped: its inputs') && b.contains('a result the stage cache has')
assert !b.contains('$ GOOS=') && !b.contains('[go] ') && !b.contains('Unpacking builder image')
assert b.contains('Resolved docker.io/library/golang:1.26-alpine -> ') && b.contains('its layers are pulled only if needed')
assert b.contains("Registry cache ${cacheRepo} (readwrite): 2 hits, 0 misses")
assert !b.contains('Registry cache: exported')
assert ItChecks.readJson(new File(runnerB, 'target/msbuild/image.json')).path('digest').asText() == imageA

// A pull request's runner: a new commit, an empty cache directory, the cache read-only. The compile
// runs, with Go's build cache and module cache from the registry (no module is downloaded), and
// nothing is written to the cache.
def pr = checkout('runner-pr')
new File(pr, 'app/main.go').text = new File(pr, 'app/main.go').text.replace('built once, shared by every runner', 'a pull request')
def c = mvn(pr, 'runner-pr', ['-Dmsbuild.cache.mode=read', "-Dmsbuild.to.image=${registry}/it/cache-runners-pr:1.0"])
assert c.contains("Registry cache: ${cacheRepo} (read: imported only, nothing is exported)")
assert c =~ /Registry cache: imported the Go build cache \(linux\/amd64\) from \S+: [0-9,]+ files in 1 chunk/
assert c =~ /Registry cache: imported the Go module cache from \S+: [0-9,]+ files in 1 chunk/
assert c.contains('$ GOOS=linux GOARCH=amd64') && !c.contains('go: downloading')
assert !c.contains('Registry cache: exported')
def after = ItChecks.readJsonText(ItChecks.run(cmd(['skopeo', 'list-tags', '--tls-verify=false', "docker://${cacheRepo}"]), null))
    .path('Tags').collect { it.asText() }.sort()
assert after == tags
assert ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/cache-runners-pr:1.0", null).contains('a pull request: ')

// The next commit on the release branch, exporting again: only the files Go added go up, as a second chunk.
def next = checkout('runner-next')
new File(next, 'app/main.go').text = new File(next, 'app/main.go').text.replace('built once, shared by every runner', 'the next commit')
def d = mvn(next, 'runner-next', ["-Dmsbuild.to.image=${registry}/it/cache-runners-next:1.0"])
def added = (d =~ /exported the Go build cache \(linux\/amd64\) to \S+: ([0-9,]+) new files in one chunk \(([^)]+)\), added; 2 chunks in all/)
assert added.find() : d
// Sizes as the log gives them: "14.1 MB", "112.3 kB", "820 B".
def bytesOf = { String text ->
  def (n, unit) = text.tokenize(' ')
  (n as double) * ['B': 1, 'kB': 1e3, 'MB': 1e6][unit]
}
def firstChunk = bytesOf((a =~ /exported the Go build cache \(linux\/amd64\) to \S+: [0-9,]+ new files in one chunk \(([^)]+)\)/)[0][1])
assert bytesOf(added.group(2)) < firstChunk / 20 : "the second chunk (${added.group(2)}) holds what the commit changed, not the cache"
assert d.contains('Registry cache: the Go module cache in ') && d.contains('nothing to export')
assert ItChecks.inspect("docker://${cacheRepo}:${goTag}", true).path('layers').size() == 2

// Faults: the build succeeds without the cache, says why once, and the image is the same.
def faulty = { String name, String cacheRegistry, String why ->
  def out = mvn(checkout(name), name, ["-Dmsbuild.cache.registry=${cacheRegistry}"])
  def warnings = out.readLines().findAll { it.startsWith('[WARNING] Registry cache') }
  assert warnings.size() == 1 : warnings
  assert warnings[0].contains('the build goes on without the registry cache') && warnings[0].contains(why) : warnings[0]
  assert out.contains('$ GOOS=linux GOARCH=amd64') && out.contains('BUILD SUCCESS')
  assert out.contains('not used after a failure')
  assert ItChecks.readJson(new File(basedir, "target/${name}/target/msbuild/image.json")).path('digest').asText() == imageA
}
// Down: nothing listens there.
def port = new ServerSocket(0).withCloseable { it.localPort }
faulty('runner-down', "127.0.0.1:${port}/it/cache-runners-cache", 'connection refused')
// Failing: every request answered 503 by a proxy in front of the registry.
def counting = ItChecks.startCountingProxy(new File(testbedDir), registry.toString(), new File(basedir, 'proxy.log'))
try {
  ItChecks.proxyConfigure(counting.value, '{"fault_rate": 1.0, "faults": ["503"]}')
  faulty('runner-503', "${counting.value}/it/cache-runners-cache", 'HTTP 503')
} finally {
  counting.key.destroy()
}
// Damaged: the registry's stored copy of the builder result's blob is overwritten (a bad disk).
def layer = entry.path('layers').get(0).path('digest').asText().substring(7)
def blob = new File(new File(testbedPropertiesFile).parentFile, "registry-data/docker/registry/v2/blobs/sha256/${layer.substring(0, 2)}/${layer}/data")
assert blob.isFile()
def bytes = blob.bytes
bytes[bytes.length - 100] = (byte) (bytes[bytes.length - 100] ^ 0xff)
blob.bytes = bytes
faulty('runner-damaged', cacheRepo.toString(), 'served content of digest')
