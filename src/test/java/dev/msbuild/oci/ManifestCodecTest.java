package dev.msbuild.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.Platform;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
  private static final Digest A = Digest.parse("sha256:" + "a".repeat(64));
  private static final Digest B = Digest.parse("sha256:" + "b".repeat(64));

  @Test
  void anIndexKeepsItsBytesAndEveryEntrysPlatformWithItsVariant() throws Exception {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + A + "\",\"size\":10,"
        + "\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}]}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Manifest.Index index = assertInstanceOf(Manifest.Index.class, ManifestCodec.parse(bytes, null));
    assertEquals(Digest.of(bytes), index.digest());
    assertEquals(new Platform("linux", "arm", "v7"), index.manifests().get(0).platform().get());
  }

  @Test
  void writtenManifestsReadBackAsTheyWereWritten() throws Exception {
    Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, A, 5);
    Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, B, 7);
    Manifest.Image written = ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, config, List.of(layer), Optional.empty(),
        Optional.empty(), Map.of());
    Manifest.Image read = assertInstanceOf(Manifest.Image.class, ManifestCodec.parse(written.bytes(), MediaTypes.OCI_MANIFEST));
    assertEquals(written.digest(), read.digest());
    assertEquals(config, read.config());
    assertEquals(List.of(layer), read.layers());
    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + A + "\",\"size\":5},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + B + "\",\"size\":7}]}",
        new String(written.bytes(), StandardCharsets.UTF_8));
  }

  @Test
  void anIndexIsWrittenWithVariantsAndTheSameBytesEachTime() {
    Descriptor entry = new Descriptor(MediaTypes.OCI_MANIFEST, A, 3).withPlatform(new Platform("linux", "arm", "v6"));
    Manifest.Index one = ManifestCodec.writeIndex(MediaTypes.OCI_INDEX, List.of(entry), Map.of());
    Manifest.Index two = ManifestCodec.writeIndex(MediaTypes.OCI_INDEX, List.of(entry), Map.of());
    assertEquals(one.digest(), two.digest());
    assertTrue(new String(one.bytes(), StandardCharsets.UTF_8).contains("\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}"));
  }

  @Test
  void whatIsNotAManifestIsRefusedSayingWhat() {
    assertTrue(refusal("<html><body>Sign in</body></html>").contains("HTML"));
    assertTrue(refusal("{\"schemaVersion\":1,\"name\":\"x\"}").contains("schema 1"));
    assertTrue(refusal("[1,2]").contains("not a JSON object"));
    assertTrue(refusal("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
        + "{\"digest\":\"md5:1\",\"size\":1},\"layers\":[]}").contains("md5:1"));
    assertTrue(refusal("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}").contains("text/plain"));
  }

  private static String refusal(String text) {
    return assertThrows(ManifestCodec.InvalidManifestException.class,
        () -> ManifestCodec.parse(text.getBytes(StandardCharsets.UTF_8), "application/json")).getMessage();
  }

  @Test
  void digestsAreSha256Only() {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + "a".repeat(128)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
    assertEquals("sha256:aaaaaaaaaaaa", A.shortForm());
  }
}
