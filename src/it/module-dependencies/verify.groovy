import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/moddep@${digest}"
def out = ItChecks.runImage(new File(testbedDir), ref, null)
// The UUID is derived (SHA-1) from a fixed name, so it is the same every time.
assert out.contains('module dependency ok: 69d22f8a-6796-5984-9238-9e5ae049731a')
