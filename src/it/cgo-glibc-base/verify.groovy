import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
// The check read the base (a dynamically linked artifact needs it) and found what the program needs.
assert log.contains('Artifact check: cgo-hello is a dynamically linked ELF x86-64 executable (glibc); the image has its loader /lib64/ld-linux-x86-64.so.2 and libc.so.6')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def printed = ItChecks.runImage(new File(testbedDir), "docker://${registry}/it/cgo-glibc@${digest}", null)
assert printed.contains('hello from C, through glibc')
