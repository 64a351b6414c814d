// A cold cache: no builder image unpacked yet, so both modules want it at the same time.
def cache = new File(basedir, 'target/cold-cache')
if (cache.exists()) {
  assert cache.deleteDir()
}
return true
