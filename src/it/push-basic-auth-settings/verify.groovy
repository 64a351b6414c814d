import dev.msbuild.it.ItChecks

def creds = 'msbuild:s3cret-pw'
def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${authRegistry}/it/basic-auth:1.0"

// The registry has both tags, for those who log in.
assert ItChecks.inspectWithCreds(ref, creds, false).path('Digest').asText() == digest
assert ItChecks.inspectWithCreds("docker://${authRegistry}/it/basic-auth:latest", creds, false).path('Digest').asText() == digest
// Anonymous readers are refused: the push really needed the login.
def anonymous = ItChecks.attempt(['skopeo', 'inspect', '--tls-verify=false', ref.toString()])
assert anonymous.key != 0
assert anonymous.value.toLowerCase().contains('unauthorized') || anonymous.value.contains('authentication required')

assert ItChecks.runImageWithCreds(new File(testbedDir), ref, creds).contains('pushed with basic auth')

def log = new File(basedir, 'build.log').text
assert log.contains("Using credentials for ${authRegistry} from settings.xml <server> ${authRegistry}")
assert !log.contains('s3cret-pw')
// Nothing the build wrote holds the password either.
assert ItChecks.filesContaining(new File(basedir, 'target'), ['s3cret-pw']).isEmpty()
