import dev.msbuild.it.ItChecks

// A fresh ECDSA P-256 key pair for this run: the private key signs, cosign verifies with the public one.
def keys = new File(basedir, 'target/keys')
keys.mkdirs()
ItChecks.run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out',
    new File(keys, 'cosign.key').path], null)
ItChecks.run(['openssl', 'pkey', '-in', new File(keys, 'cosign.key').path, '-pubout', '-out', new File(keys, 'cosign.pub').path], null)
return true
