import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('Skipping msbuild:image: <skip> (-Dmsbuild.skip) is true.')
assert !new File(basedir, 'target/msbuild').exists()

// MAVEN_OPTS reaches the JVM's system properties, which count as Jib's do.
def opts = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, ['-ntp', 'package', 'msbuild:image']),
    new File(basedir, 'build-maven-opts.log'), [MAVEN_OPTS: '-Dmsbuild.skip=true'])
assert opts.contains('Skipping msbuild:image: <skip> (-Dmsbuild.skip) is true.')
assert !new File(basedir, 'target/msbuild').exists()

// A comma in a -D list separates items: a flag cut in two is refused before anything runs,
// naming <builder><flags> and the two ways to keep the comma.
def out = new File(basedir, 'build-flags.log')
def command = ItChecks.mavenCommand(localRepositoryPath, ['-ntp', 'msbuild:build', '-Dmsbuild.builder.flags=-tags=a,b',
    "-Dtestbed.registry=${registry}"])
def process = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(out).start()
assert process.waitFor() != 0
def flags = out.text
assert flags.contains("'b' in <builder><flags> (-Dmsbuild.builder.flags) is not a go build flag (it follows '-tags=a'): flags start with '-'.")
assert flags.contains('Setting: <builder><flags> (-Dmsbuild.builder.flags)')
assert flags.contains('(-tags=a\\,b)')
assert !flags.contains('\$ GOOS=') && !flags.contains('Pulled ')
return true
