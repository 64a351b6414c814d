import dev.msbuild.it.ItChecks

// Online, once: pulls golang and alpine into the scenario's cache and resolves their tags.
ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:tar',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/offline-cache']),
    new File(basedir, 'build-online.log'))
return true
