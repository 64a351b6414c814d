// The scenario shares the test bed's cache (the unpacked builder image, Go's build cache), but
// the module must come through the proxy: remove it from the shared module caches first.
def cache = new File(basedir, '../../it-cache').canonicalFile
def go = new File(cache, 'go')
(go.isDirectory() ? go.listFiles().findAll { it.isDirectory() } : []).each { toolchain ->
  ['mod/github.com/google/uuid@v1.6.0', 'mod/cache/download/github.com/google/uuid'].each { path ->
    def dir = new File(toolchain, path)
    if (dir.exists()) {
      ['chmod', '-R', 'u+w', dir.path].execute().waitFor()
      assert dir.deleteDir() : "could not remove ${dir}"
      println "removed ${dir}"
    }
  }
}
return true
