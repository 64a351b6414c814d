import dev.msbuild.it.ItChecks

def ref = "docker://${registry}/it/arm-variant:1.0"
def base = ItChecks.inspect("docker://${registry}/library/armbase:1", true)
def baseLayer = { variant ->
  def entry = base.path('manifests').find { it.path('platform').path('variant').asText() == variant }
  ItChecks.inspect("docker://${registry}/library/armbase@${entry.path('digest').asText()}", true).path('layers').get(0).path('digest').asText()
}

def index = ItChecks.inspect(ref, true)
assert index.path('manifests').collect { it.path('platform').path('variant').asText() } == ['v7', 'v6']
index.path('manifests').each { entry ->
  def variant = entry.path('platform').path('variant').asText()
  def manifest = ItChecks.inspect("docker://${registry}/it/arm-variant@${entry.path('digest').asText()}", true)
  // Each platform sits on its own variant's base layer, though both share os/arch.
  assert manifest.path('layers').get(0).path('digest').asText() == baseLayer(variant)
  def out = ItChecks.run(['bash', new File(testbedDir, 'run-image.sh').path, '--arch', "arm/${variant}".toString(), ref.toString()], null)
  println out
  assert out.contains("base=${variant} built=linux/arm")
}
return true
