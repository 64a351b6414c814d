package dev.msbuild.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An OCI image index or Docker manifest list, written by us because Jib's templates have no
 * platform variant (linux/arm/v7 needs one). Immutable; its bytes are what is pushed and hashed.
 */
public record PlatformIndex(String mediaType, byte[] json) {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

  /** One platform's manifest. */
  public record Entry(Platform platform, String mediaType, String digest, long size) {}

  public static PlatformIndex of(boolean oci, List<Entry> entries) {
    ObjectNode index = ImageConfig.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    String mediaType = oci ? OCI_INDEX : DOCKER_LIST;
    index.put("mediaType", mediaType);
    ArrayNode manifests = index.putArray("manifests");
    for (Entry entry : entries) {
      ObjectNode manifest = manifests.addObject();
      manifest.put("mediaType", entry.mediaType());
      manifest.put("digest", entry.digest());
      manifest.put("size", entry.size());
      ObjectNode platform = manifest.putObject("platform");
      platform.put("architecture", entry.platform().architecture());
      platform.put("os", entry.platform().os());
      if (entry.platform().variant() != null) {
        platform.put("variant", entry.platform().variant());
      }
    }
    try {
      return new PlatformIndex(mediaType, ImageConfig.JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String digest() {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public long size() {
    return json.length;
  }

  /** For Jib's registry client: a manifest template that serializes to exactly these bytes. */
  public com.google.cloud.tools.jib.image.json.ManifestTemplate template() {
    return new Template(this);
  }

  private static final class Template implements com.google.cloud.tools.jib.image.json.ManifestTemplate {
    private final PlatformIndex index;

    Template(PlatformIndex index) {
      this.index = index;
    }

    @Override
    public int getSchemaVersion() {
      return 2;
    }

    @Override
    public String getManifestMediaType() {
      return index.mediaType();
    }

    @com.fasterxml.jackson.annotation.JsonValue
    com.fasterxml.jackson.databind.JsonNode json() throws IOException {
      return ImageConfig.JSON.readTree(index.json());
    }
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }
}
