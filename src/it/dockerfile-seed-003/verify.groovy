import dev.msbuild.it.ItChecks

// Seed 003: RUN chmod -R 755 /appexec runs in the final stage, in alpine's root, and what it
// changed (app.go's mode) is a layer of its own.
def log = new File(basedir, 'build.log').text
assert log.contains('[1 3/4] RUN chmod -R 755 /appexec')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/df-seed003@${digest}"
def config = ItChecks.inspectConfig(ref).path('config')
assert config.path('Entrypoint').toString() == '["/bin/sh","-c","./app"]'
assert config.path('WorkingDir').asText() == '/appexec'

// alpine:latest's layers, WORKDIR /appexec, the COPY (app.go as the builder had it, 0644), then the RUN's layer:
// app.go made 0755 and the directory that holds it, nothing else (app was 0755 already).
def listings = ItChecks.layerListings(ref, null)
def alpine = ItChecks.inspect("docker://${registry}/library/alpine:latest", false)
assert listings.size() == alpine.path('Layers').size() + 3
assert listings[-2].readLines().find { it.endsWith(' appexec/app.go') } =~ /^-rw-r--r-- 0\/0 /
def run = listings[-1].readLines().findAll { !it.isBlank() }
assert run.size() == 2
assert run.find { it.endsWith(' appexec/') } =~ /^drwxr-xr-x 0\/0 /
assert run.find { it.endsWith(' appexec/app.go') } =~ /^-rwxr-xr-x 0\/0 /

def out = ItChecks.runImage(new File(testbedDir), ref, 'Maria')
assert out.contains('Qual é o seu nome:?')
assert out.contains('Oi, Maria! Eu sou a linguagem Go!')
