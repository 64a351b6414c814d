new File(basedir, 'target/jlink-cache').deleteDir()
return true
