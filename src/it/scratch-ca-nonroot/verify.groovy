import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/scratch-ca-nonroot@${digest}"

// The container runs as the non-root user by default.
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('User').asText() == '65532:65532'

// Two layers of ours on scratch: the builder files, then the artifact.
def layers = ItChecks.layerListings(ref, null)
assert layers.size() == 2
def files = layers[0].readLines()
println files.join('\n')
assert files.any { it =~ /^-rw-r--r-- 0\/0 +\d+ .* etc\/ssl\/certs\/ca-certificates\.crt$/ }
assert files.any { it =~ /^-rw-r--r-- 0\/0 +\d+ .* etc\/passwd$/ }
assert files.any { it =~ /^-rw-r--r-- 0\/0 +\d+ .* etc\/group$/ }
assert files.any { it =~ /^drwxr-xr-x 65532\/65532 +0 .* home\/app\/$/ }
assert layers[1].readLines().any { it.endsWith(' app/whoami') }

// The process runs as app (uid 65532) and can read and parse the CA bundle.
def out = ItChecks.runImage(new File(testbedDir), ref, null)
println out
assert out.contains('uid=65532 gid=65532 user=app')
def m = out =~ /certificates=(\d+) system=(\d+)/
assert m.find()
assert (m.group(1) as int) > 50
assert (m.group(2) as int) == (m.group(1) as int)

def log = new File(basedir, 'build.log').text
assert log.contains('Builder files layer')
assert log.contains('Summary:')
