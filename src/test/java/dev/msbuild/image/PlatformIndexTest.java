package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.hash.Digests;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformIndexTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  private static PlatformIndex index(boolean oci) {
    return PlatformIndex.of(oci, List.of(
        new PlatformIndex.Entry(Platform.parse("linux/amd64", Setting.PLATFORMS), "application/vnd.oci.image.manifest.v1+json", A, 500),
        new PlatformIndex.Entry(Platform.parse("linux/arm/v7", Setting.PLATFORMS), "application/vnd.oci.image.manifest.v1+json", B, 501)));
  }

  @Test
  void carriesVariantsAndSizes() throws Exception {
    JsonNode json = ImageConfig.JSON.readTree(index(true).json());
    assertEquals(PlatformIndex.OCI_INDEX, json.path("mediaType").asText());
    assertEquals(2, json.path("schemaVersion").asInt());
    JsonNode arm = json.path("manifests").get(1);
    assertEquals("arm", arm.path("platform").path("architecture").asText());
    assertEquals("v7", arm.path("platform").path("variant").asText());
    assertEquals(501, arm.path("size").asLong());
    assertFalse(json.path("manifests").get(0).path("platform").has("variant"));
    assertEquals(PlatformIndex.DOCKER_LIST, ImageConfig.JSON.readTree(index(false).json()).path("mediaType").asText());
  }

  @Test
  void jibSerializesTheTemplateToTheSameBytes() throws Exception {
    PlatformIndex index = index(true);
    // What Jib pushes and hashes must be what we hashed: the index digest users see.
    assertEquals(index.digest(), Digests.computeDigest(index.template()).getDigest().toString());
    assertEquals(index.size(), Digests.computeDigest(index.template()).getSize());
  }
}
