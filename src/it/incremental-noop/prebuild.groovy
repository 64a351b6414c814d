import dev.msbuild.it.ItChecks

// The first build, before the invoker's own: it compiles and pushes everything.
ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/incremental-cache']),
    new File(basedir, 'build-first.log'))
return true
