import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
// Reproducible: a second build with a cache of its own ran the RUN again and made the same image.
def log = new File(basedir, 'build.log').text
assert log.contains('[0 1/4] RUN rm /etc/motd')
assert !(log =~ /\[0 1\/4\] RUN .*\(cached\)/)
assert new File(basedir, 'first.digest').text.trim() == digest

def ref = "docker://${registry}/it/df-final-run@${digest}"
def listings = ItChecks.layerListings(ref, null)
assert listings.size() == 3
def run = listings[1]
println run
// Deletions are whiteouts beside what they hide; the directory tree of protected_paths.d is one.
assert run =~ /(?m) etc\/\.wh\.motd$/
assert run =~ /(?m) etc\/apk\/\.wh\.protected_paths\.d$/
assert !(run =~ /protected_paths\.d\/[^ ]+$/)
// New and changed entries with their modes and owners; times are the reproducible epoch.
assert run =~ /(?m)^drwxr-x--- 1000\/1000 .* 1970-01-01 00:00 data\/$/
assert run =~ /(?m)^-rw-r--r-- 1000\/1000 .* data\/greeting$/
assert run =~ /(?m)^lrwxrwxrwx 0\/0 .* greeting -> \/data\/greeting$/
assert run =~ /(?m)^drwxr-x--- 0\/0 .* root\/$/
// Nothing the RUN did not change (apk's database, busybox) is in it.
assert !run.contains('lib/apk/db/installed')
assert !run.contains('bin/busybox')
assert listings[2] =~ /(?m)^-rw-r----- 1000\/1000 .* data\/note\.txt$/

// umoci applies the layers as the OCI spec says: the whiteouts delete, owners and modes hold.
def layout = new File(basedir, 'target/layout')
def bundle = new File(basedir, 'target/bundle')
ItChecks.run(['skopeo', 'copy', '--src-tls-verify=false', ref.toString(), "oci:${layout}:final".toString()], null)
ItChecks.run(['umoci', 'unpack', '--image', "${layout}:final".toString(), bundle.toString()], null)
def rootfs = new File(bundle, 'rootfs')
assert !new File(rootfs, 'etc/motd').exists()
assert !new File(rootfs, 'etc/apk/protected_paths.d').exists()
assert new File(rootfs, 'etc/apk/world').exists()
def stat = { String path -> ItChecks.run(['stat', '-c', '%a %u %g %F', new File(rootfs, path).toString()], null).trim() }
assert stat('data') == '750 1000 1000 directory'
assert stat('data/greeting') == '644 1000 1000 regular file'
assert stat('data/note.txt') == '640 1000 1000 regular file'
assert stat('root') == '750 0 0 directory'
assert ItChecks.run(['readlink', new File(rootfs, 'greeting').toString()], null).trim() == '/data/greeting'

def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.contains('hello')
assert out.contains('a note')
