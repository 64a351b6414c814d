import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/seed004-myapp@${digest}"
def out = ItChecks.runImage(new File(testbedDir), ref, null)
def m = out =~ /CA bundle \/etc\/ssl\/certs\/ca-certificates.crt: (\d+) certificates/
assert m.find()
assert (m.group(1) as int) > 50
