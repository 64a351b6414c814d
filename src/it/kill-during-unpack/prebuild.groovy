import dev.msbuild.it.ItChecks

// Another Maven process starts the same build on an empty cache and is killed (with everything it
// started) while it unpacks the builder image. The invoker's build then runs on what it left.
def cache = new File(basedir, 'target/kill-cache')
if (cache.exists()) {
  assert cache.deleteDir()
}
def command = ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:build',
    '-Dmsbuild.cacheDirectory=target/kill-cache', "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true'])
println 'kill-during-unpack: ' + ItChecks.killWhenUnpacking(basedir, command, cache)
return true
