package dev.msbuild.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Path openssl(String... args) throws Exception {
    Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return dir;
  }

  private PublicKey publicKey(String pem) throws Exception {
    String body = Files.readString(dir.resolve(pem)).replaceAll("-----[A-Z ]+-----", "");
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
  }

  private static boolean verifies(PublicKey key, byte[] data, String signature) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(key);
    s.update(data);
    return s.verify(Base64.getDecoder().decode(signature));
  }

  @Test
  void pkcs8AndSec1KeysSignWhatTheirPublicKeysVerify() throws Exception {
    openssl("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "pkcs8.key");
    openssl("openssl", "pkey", "-in", "pkcs8.key", "-pubout", "-out", "pkcs8.pub");
    openssl("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.key");
    openssl("openssl", "ec", "-in", "sec1.key", "-pubout", "-out", "sec1.pub");
    assertTrue(Files.readString(dir.resolve("sec1.key")).contains("BEGIN EC PRIVATE KEY"));
    byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
    for (String name : List.of("pkcs8", "sec1")) {
      Signer signer = Signer.load(dir.resolve(name + ".key"), "<sign><key>");
      assertTrue(verifies(publicKey(name + ".pub"), payload, signer.sign(payload)), name);
    }
  }

  @Test
  void anEncryptedOrOtherKeyIsRefusedNamingTheSetting() throws Exception {
    openssl("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:x", "-out",
        "encrypted.key");
    MsbuildException e = assertThrows(MsbuildException.class, () -> Signer.load(dir.resolve("encrypted.key"), "<sign><key>"));
    assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    assertEquals(java.util.Optional.of(dev.msbuild.config.Setting.SIGN_KEY), e.setting());
    openssl("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key");
    assertThrows(MsbuildException.class, () -> Signer.load(dir.resolve("rsa.key"), "<sign><key>"));
    assertThrows(MsbuildException.class, () -> Signer.load(dir.resolve("missing.key"), "<sign><key>"));
  }

  @Test
  void cosignPayloadsAndDsseEnvelopes() throws Exception {
    openssl("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.key");
    openssl("openssl", "pkey", "-in", "k.key", "-pubout", "-out", "k.pub");
    Signer signer = Signer.load(dir.resolve("k.key"), "test");
    Digest image = Digest.of("image".getBytes(StandardCharsets.UTF_8));

    CosignObjects.Signed sig = CosignObjects.signature("registry.test/app", image, signer);
    assertEquals("sha256-" + image.hex() + ".sig", sig.tag());
    JsonNode payload = JSON.readTree(sig.layers().get(0));
    assertEquals(image.toString(), payload.path("critical").path("image").path("docker-manifest-digest").asText());
    assertEquals("cosign container image signature", payload.path("critical").path("type").asText());
    String signature = sig.manifest().layers().get(0).annotations().get(CosignObjects.SIGNATURE_ANNOTATION);
    assertTrue(verifies(publicKey("k.pub"), sig.layers().get(0), signature));
    assertArrayEquals(CosignObjects.simpleSigningPayload("registry.test/app", image), sig.layers().get(0), "the payload is reproducible");

    byte[] statement = "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    JsonNode envelope = JSON.readTree(CosignObjects.envelope(statement, signer));
    assertEquals("application/vnd.in-toto+json", envelope.path("payloadType").asText());
    byte[] pae = ("DSSEv1 28 application/vnd.in-toto+json " + statement.length + " ").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[pae.length + statement.length];
    System.arraycopy(pae, 0, signed, 0, pae.length);
    System.arraycopy(statement, 0, signed, pae.length, statement.length);
    String sigB64 = envelope.path("signatures").get(0).path("sig").asText();
    assertTrue(verifies(publicKey("k.pub"), signed, sigB64));
    assertFalse(verifies(publicKey("k.pub"), statement, sigB64), "the signature is over DSSE's encoding, not the bare statement");
  }

  private static void assertArrayEquals(byte[] a, byte[] b, String message) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, message);
  }
}
