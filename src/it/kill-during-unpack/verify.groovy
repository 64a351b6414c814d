import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
// The leftover of the killed build was found, removed, and the image unpacked again.
assert log.contains('Removed an incomplete unpack left by an interrupted build')
assert log.contains('Unpacking builder image docker.io/library/golang:1.26-alpine (2 layers) into the cache')
assert log.indexOf('Removed an incomplete unpack') < log.indexOf('Unpacking builder image')

def binary = new File(basedir, 'target/msbuild/hello')
assert binary.canExecute()
assert ItChecks.run([binary.path], null).trim() == 'hello from a cache that survived a kill'

def rootfs = new File(basedir, 'target/kill-cache/rootfs')
assert ItChecks.namesContaining(rootfs, '.tmp-').isEmpty()
assert ItChecks.rootfsEntries(rootfs.toPath(), false).size() == 1
