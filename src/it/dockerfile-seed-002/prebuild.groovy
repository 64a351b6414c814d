import dev.msbuild.it.ItChecks

ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['package', 'msbuild:image',
    "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/cache']),
    new File(basedir, 'build-first.log'))
new File(basedir, 'first.digest').text = new File(basedir, 'target/msbuild/image.digest').text
return true
