import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/extra-files-symlink@${digest}"

// scratch + builder files + extra files + artifact
def layers = ItChecks.layerListings(ref, null)
assert layers.size() == 3
def copied = layers[0].readLines()
def extra = layers[1].readLines()
println copied.join('\n')
println extra.join('\n')

// Copies from the builder image: a file with the mode asked for, a directory whole, with its owner.
assert copied.any { it =~ /^-r--r--r-- 0\/0 +\d+ .* etc\/builder-release$/ }
assert copied.any { it =~ /^-\S+ 1000\/1000 +\d+ .* opt\/apk\/repositories$/ }
assert copied.any { it =~ /^d\S+ 1000\/1000 +0 .* opt\/apk\/keys\/$/ }

// Symlinks stay symlinks, with the link text as written.
assert extra.any { it =~ /^lrwxrwxrwx 0\/0 +0 .* etc\/app\/current -> config-v1\.yaml$/ }
assert extra.any { it =~ /^lrwxrwxrwx 0\/0 +0 .* etc\/app\/absolute -> \/etc\/app\/config-v1\.yaml$/ }
assert extra.any { it =~ /^-rw-r--r-- 0\/0 +\d+ .* etc\/app\/config-v1\.yaml$/ }
// Permission rules: a glob for scripts, a recursive glob with an owner.
assert extra.any { it =~ /^-rwxr-xr-x 0\/0 +\d+ .* usr\/local\/bin\/run\.sh$/ }
assert extra.any { it =~ /^-rw-r----- 1000\/1000 +\d+ .* srv\/data\.txt$/ }

def out = ItChecks.runImage(new File(testbedDir), ref, null)
println out
assert out.contains('/etc/app/current: 30 bytes: greeting: hola from config v1')
assert out.contains('/etc/app/absolute: 30 bytes: greeting: hola from config v1')
assert out =~ /\/etc\/builder-release: \d+ bytes: 3\.20\.\d+/
assert out.contains('/opt/apk/repositories:')

def log = new File(basedir, 'build.log').text
assert log.contains('Extra files layer')
