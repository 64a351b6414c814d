import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/container-config-oci@${digest}"

def manifest = ItChecks.inspect(ref, true)
assert manifest.path('mediaType').asText() == 'application/vnd.oci.image.manifest.v1+json'
assert manifest.path('config').path('mediaType').asText() == 'application/vnd.oci.image.config.v1+json'

def config = ItChecks.inspectConfig(ref).path('config')
println config.toPrettyString()
assert config.path('Entrypoint').toString() == '["/app/config","--from-entrypoint"]'
assert config.path('Cmd').toString() == '["one","two words"]'
def env = config.path('Env').collect { it.asText() }
assert env.contains('MODE=production')
assert env.contains('ZONEINFO=/usr/local/go/lib/time/zoneinfo.zip')
def ports = config.path('ExposedPorts').fieldNames().collect { it }.sort()
assert ports == ['5353/udp', '8080/tcp', '9000/tcp', '9001/tcp', '9002/tcp']
assert config.path('Volumes').fieldNames().collect { it }.sort() == ['/data', '/var/cache/app']
assert config.path('Labels').path('team').asText() == 'platform'
// Configured labels win over the ones taken from the pom.
assert config.path('Labels').path('org.opencontainers.image.title').asText() == 'config-oci'
assert config.path('Labels').path('org.opencontainers.image.description').asText().startsWith('Every container field')
assert config.path('User').asText() == '1234:5678'
assert config.path('WorkingDir').asText() == '/srv'

def out = ItChecks.runImage(new File(testbedDir), ref, null)
println out
assert out.contains('args=/app/config|--from-entrypoint|one|two words')
assert out.contains('MODE=production')
assert out.contains('uid=1234 gid=5678')
assert out.contains('cwd=/srv')
assert out.contains('madrid=14:00 CEST')

def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
assert json.path('format').asText() == 'OCI'
