import dev.msbuild.it.ItChecks

// Seed 001 with --from corrected: go mod init and go build in golang:1.18, the program on alpine:3.15.9.
def log = new File(basedir, 'build.log').text
assert log.contains('[buildando 3/4] RUN go mod init hello')
assert log.contains('[buildando 4/4] RUN go build -o /app/hello')

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/df-seed001@${digest}"
assert ItChecks.inspectConfig(ref).path('config').path('Cmd').toString() == '["/app/hello"]'
def out = ItChecks.runImage(new File(testbedDir), ref, null)
assert out.contains('Olá, multistage! Uma imagem pequena com o nosso programinha.')
