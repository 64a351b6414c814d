import dev.msbuild.it.ItChecks
import java.security.MessageDigest

def secrets = ['s3cr3t-env-7d1f', 's3cr3t-settings-92ab']
def sha256 = { String s -> MessageDigest.getInstance('SHA-256').digest(s.getBytes('UTF-8')).encodeHex().toString() }

def log = new File(basedir, 'build.log').text
assert log.contains('Isolation: sandbox via ')
// The command printed both secrets; the log shows them masked, and nowhere in clear.
assert log.contains('token=**** deploy=****')
secrets.each { assert !log.contains(it) : "build.log shows a secret" }

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert digest ==~ /sha256:[0-9a-f]{64}/
def ref = "docker://${registry}/it/build-secret@${digest}"

// The build saw the secrets' exact values (files without a trailing newline): the image prints their hashes.
def printed = ItChecks.runImage(new File(testbedDir), ref, null).readLines().findAll { !it.startsWith('run-image: ') }
assert printed == ["token-sha256=${sha256(secrets[0])}".toString(), "deploy-sha256=${sha256(secrets[1])}".toString()]

// Neither secret is in any file the build left in target/, nor in any blob of the pushed image.
def inTarget = ItChecks.filesContaining(new File(basedir, 'target'), secrets)
assert inTarget.isEmpty() : inTarget
def inImage = ItChecks.imageBlobsContaining(ref, secrets)
assert inImage.isEmpty() : inImage
