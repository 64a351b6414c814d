import dev.msbuild.it.ItChecks

// The first build, before the invoker's own: it compiles and pushes everything.
def home = System.getProperty('maven.home')
def mvn = home != null && new File(home, 'bin/mvn').canExecute() ? new File(home, 'bin/mvn').path : 'mvn'
def command = [mvn, '-B', "-Dmaven.repo.local=${localRepositoryPath}", 'package', 'msbuild:image',
               "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
               '-Dmsbuild.allowInsecureRegistries=true', '-Dmsbuild.cacheDirectory=target/incremental-cache']
    .collect { it.toString() }
def process = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true)
    .redirectOutput(new File(basedir, 'build-first.log')).start()
assert process.waitFor() == 0 : new File(basedir, 'build-first.log').text
return true
