import dev.msbuild.it.ItChecks

def log = new File(basedir, 'build.log').text
assert log.contains('Isolation: sandbox via bubblewrap (')
// The artifact is a script: its interpreter was found in the alpine base, through the /bin/sh symlink.
assert log.contains('Artifact check: greet is a #! script; the image has its interpreter /bin/sh')

// What the command saw inside the sandbox: /src as working directory, the image's PATH, and a
// source directory it could not write to.
def out = new File(basedir, 'target/msbuild/out')
assert ItChecks.read(new File(out, 'cwd')).trim() == '/src'
assert ItChecks.read(new File(out, 'go-path')).trim() == '/usr/local/go/bin/go'
assert ItChecks.read(new File(out, 'src-state')).trim() == 'READONLY'
assert !new File(basedir, 'should-fail').exists()
assert new File(basedir, 'target/msbuild/greet').isFile()

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
assert digest ==~ /sha256:[0-9a-f]{64}/
def ref = "docker://${registry}/it/sandbox-command@${digest}"
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Entrypoint').toString() == '["/app/greet"]'

// The output is the only file of its layer, executable, at /app/greet.
def listing = ItChecks.lastLayerListing(ref).readLines()
println listing.join('\n')
assert listing.size() == 2
assert listing[1] =~ /^-rwxr-xr-x 0\/0 +\d+ .* app\/greet$/

// alpine's /bin/sh runs the script the builder stage wrote; it prints exactly the greeting.
def printed = ItChecks.runImage(new File(testbedDir), ref, null).readLines().findAll { !it.startsWith('run-image: ') }
assert printed == ['greetings from the builder stage: HOLA (alpine 3.20.3)']
