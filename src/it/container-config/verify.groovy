import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/container-config@${digest}"
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Entrypoint').toString() == '["/app/report"]'
assert config.path('Cmd').toString() == '["first","second arg"]'
def env = config.path('Env').collect { it.asText() }
assert env.contains('GREETING=hola')
// The base image's environment is kept.
assert env.any { it.startsWith('PATH=/usr/local/sbin:') }
assert config.path('ExposedPorts').has('8080/tcp')
assert config.path('ExposedPorts').has('5353/udp')
assert config.path('Labels').path('org.opencontainers.image.title').asText() == 'container-config'
assert config.path('Labels').path('team').asText() == 'platform'
assert config.path('User').asText() == '65534:65534'
assert config.path('WorkingDir').asText() == '/home'

def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.contains('args=first|second arg')
assert out.contains('GREETING=hola')
assert out.contains('uid=65534 gid=65534')
assert out.contains('cwd=/home')

// The artifact is the only file of its layer: root-owned, mode 0755, at /app/report.
assert ItChecks.inspect(ref, true).path('layers').size() == 2
def listing = ItChecks.lastLayerListing(ref).readLines()
println listing.join('\n')
assert listing.size() == 2
assert listing[0] =~ /^drwxr-xr-x 0\/0 +0 .* app\/$/
assert listing[1] =~ /^-rwxr-xr-x 0\/0 +\d+ .* app\/report$/
