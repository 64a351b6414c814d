import dev.msbuild.it.ItChecks

def digest = new File(basedir, 'target/msbuild/image.digest').text.trim()
def ref = "docker://${registry}/it/seed003-app@${digest}"
def config = ItChecks.inspectConfig(ref)
assert config.path('config').path('WorkingDir').asText() == '/appexec'
def out = ItChecks.runImage(new File(testbedDir), ref, 'Maria')
assert out.contains('Qual é o seu nome:?')
assert out.contains('Oi, Maria! Eu sou a linguagem Go!')
