import dev.msbuild.it.ItChecks
import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

// 1. The failed build (no go.mod): its own error is what the log shows, never a cleanup path.
def failed = new File(basedir, 'build.log').text
assert failed.contains('Isolation: sandbox via unshare (')
assert failed.contains('msbuild:image failed: The builder command failed with exit code 1.')
assert failed.contains('go.mod file not found')
assert failed.contains('Setting: <builder><command> (-Dmsbuild.builder.command)')
assert !failed.contains('AccessDeniedException') && !failed.contains('could not delete')
assert !failed.contains('Could not remove the temporary')
// What the sandbox wrote (overlay upper and work dirs, /out) is gone with it.
def output = new File(basedir, 'target/msbuild')
assert ItChecks.namesContaining(output, '.tmp-').isEmpty()
assert !new File(output, 'image.digest').exists()

// Something another build or tool left under target/ that this user cannot read must not matter.
def stray = new File(basedir, 'target/stray/work/work')
stray.mkdirs()
new File(stray, 'entry').text = 'x'
Files.setPosixFilePermissions(stray.toPath(), PosixFilePermissions.fromString('---------'))

// 2. Fixed: the next build of the same project succeeds.
new File(basedir, 'go.mod').text = 'module example.com/recovered\n\ngo 1.26\n'
def cache = new File(new File(testbedPropertiesFile).parentFile.parentFile, 'it-cache')
def args = ['package', 'msbuild:image', "-Dtestbed.registry=${registry}", "-Dmsbuild.registryMirrors=docker.io=${registry}",
    '-Dmsbuild.allowInsecureRegistries=true', "-Dmsbuild.cacheDirectory=${cache}"]
def fixed = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, args), new File(basedir, 'target/build-fixed.log'))
assert fixed.contains('Isolation: sandbox via unshare (')
assert fixed.contains('Built target/msbuild/recovered (')
assert ItChecks.namesContaining(output, '.tmp-').isEmpty()
def digest = new File(output, 'image.digest').text.trim()
def out = ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/sandbox-failure-recovery@${digest}", null)
assert out.contains('recovered: the build after a failed one worked')

// 3. And the one after that hashes its inputs without tripping over anything in target/ (its
// logs go there too: the invoker's build.log beside the pom is a source file like any other).
def again = ItChecks.runMaven(basedir, ItChecks.mavenCommand(localRepositoryPath, args), new File(basedir, 'target/build-again.log'))
assert again.contains('Builder stage skipped: its inputs are those of the last build')
Files.setPosixFilePermissions(stray.toPath(), PosixFilePermissions.fromString('rwx------'))
return true
