new File(basedir, 'target/jlink-cache').deleteDir()
// A runtime dependency whose jar is not a zip, as a truncated download can leave one.
def dir = new File(localRepositoryPath, 'dev/msbuild/it/broken/1.0')
dir.mkdirs()
new File(dir, 'broken-1.0.jar').text = 'this is not a zip file: a broken jar, as a bad download can leave one\n'
new File(dir, 'broken-1.0.pom').text = '''<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.msbuild.it</groupId><artifactId>broken</artifactId><version>1.0</version></project>
'''
return true
