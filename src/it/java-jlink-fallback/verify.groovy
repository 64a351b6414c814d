import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// jdeps over the class path fails at the broken jar; the build says so and falls back to what
// jdeps finds in the application's own classes plus the modules common libraries need.
assert log.contains('[WARNING] jdeps could not follow the classpath (exit code ')
assert log.contains('zip END header not found')
def fallback = (log =~ /Modules by the fallback: (\S+)/)
assert fallback.find() : log
def modules = fallback.group(1).split(',') as List
println "fallback modules: ${modules}"
assert modules.containsAll(['java.base', 'java.sql', 'java.naming', 'java.management', 'java.instrument', 'jdk.unsupported'])
assert !modules.contains('java.desktop')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/java-jlink-fallback@${digest}"
// The runtime the fallback made runs the app, java.sql included.
def out = ItChecks.runImage(new File(testbedDir), ref, null)
println out
assert out.contains('fallback runtime: java.sql present, Types.INTEGER=4')
return true
