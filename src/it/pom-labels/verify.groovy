import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/pom-labels@${digest}"
def image = ItChecks.inspectConfig(ref)
def labels = image.path('config').path('Labels')
println labels.toPrettyString()

def prefix = 'org.opencontainers.image.'
assert labels.path(prefix + 'title').asText() == 'Pom labels'
assert labels.path(prefix + 'description').asText() == 'OCI labels filled from the pom.'
assert labels.path(prefix + 'version').asText() == '2.3.4'
assert labels.path(prefix + 'url').asText() == 'https://example.com/pom-labels'
assert labels.path(prefix + 'source').asText() == 'https://git.example.com/team/pom-labels'
assert labels.path(prefix + 'licenses').asText() == 'Apache-2.0'
assert labels.path(prefix + 'created').asText() == '2026-03-04T05:06:07Z'
def head = ItChecks.run(['git', '-C', basedir.path, 'rev-parse', 'HEAD'], null).trim()
assert labels.path(prefix + 'revision').asText() == head

// The base: its name as configured, and the digest its tag resolved to in the registry.
assert labels.path(prefix + 'base.name').asText() == 'docker.io/library/alpine:3.20'
assert labels.path(prefix + 'base.digest').asText() == ItChecks.rawDigest("docker://${registry}/library/alpine:3.20")

// The image's creation time is the pom's outputTimestamp too.
assert image.path('created').asText() == '2026-03-04T05:06:07Z'

def json = ItChecks.readJson(new File(basedir, 'target/msbuild/image.json'))
assert json.path('baseName').asText() == 'docker.io/library/alpine:3.20'
assert json.path('baseDigest').asText() == labels.path(prefix + 'base.digest').asText()
assert json.path('compressedSize').asLong() > 3_000_000
def log = new File(basedir, 'build.log').text
assert log =~ /Base image: docker\.io\/library\/alpine:3\.20@sha256:[0-9a-f]{64}/
