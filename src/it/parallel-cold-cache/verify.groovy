import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')
assert log.contains('Skipping msbuild:image: <skip> (-Dmsbuild.skip) is true.')
// Both modules needed the builder image; it was unpacked once and shared.
def unpacks = log.readLines().findAll { it.contains('Unpacking builder image') }
assert unpacks.size() == 1 : unpacks
assert unpacks[0].contains('Unpacking builder image docker.io/library/golang:1.26-alpine (2 layers) into the cache')
// And they did want it at the same time: both goals started before the unpack was done (the
// first build to run was logged after it).
def firstIsolation = log.indexOf('Isolation: ')
assert firstIsolation > 0
['parallel-a', 'parallel-b'].each { assert log.indexOf(":image (default-cli) @ ${it} ---") in 0..<firstIsolation }

['a', 'b'].each { m ->
  def digest = new File(basedir, "${m}/target/msbuild/image.digest").text.trim()
  assert digest ==~ /sha256:[0-9a-f]{64}/
  def ref = "docker://${registry}/it/parallel-${m}@${digest}"
  assert ItChecks.inspectConfig(ref).path('config').path('Entrypoint').toString() == "[\"/app/parallel-${m}\"]"
  def printed = ItChecks.runImage(new File(testbedDir), ref, null).readLines().findAll { !it.startsWith('run-image: ') }
  assert printed == ["module ${m}".toString()]
}

// The cache holds one complete copy of the builder image and nothing half-done.
def rootfs = new File(basedir, 'target/cold-cache/rootfs')
def complete = ItChecks.rootfsEntries(rootfs.toPath(), false)
assert complete.size() == 1 : complete
assert ItChecks.namesContaining(rootfs, '.tmp-').isEmpty()
// Relative to where Maven ran: the modules did not get caches of their own.
assert !new File(basedir, 'a/target/cold-cache').exists()
assert !new File(basedir, 'b/target/cold-cache').exists()
