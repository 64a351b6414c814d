package dev.msbuild.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads manifests and indexes from their bytes, refusing anything that is not one (an HTML page,
 * schema 1, a descriptor without a valid digest), and writes them with a fixed field order, so
 * the same image always has the same bytes and digest.
 */
public final class ManifestCodec {
  /** Compact output; object fields in the order they are put. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private ManifestCodec() {}

  /** A manifest that could not be read; the message says what was wrong with it. */
  public static final class InvalidManifestException extends IOException {
    public InvalidManifestException(String message) {
      super(message);
    }
  }

  /**
   * @param contentType the Content-Type it was served with (parameters allowed), or null; used
   *     when the document itself names no media type
   */
  public static Manifest parse(byte[] bytes, String contentType) throws InvalidManifestException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidManifestException("it is not JSON" + (looksLikeHtml(bytes) ? " but an HTML page" : ""));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidManifestException("it is not a JSON object");
    }
    int schema = root.path("schemaVersion").asInt(-1);
    String type = root.path("mediaType").asText("");
    String served = contentType == null ? "" : contentType.split(";", 2)[0].trim();
    if (schema == 1 || served.equals(MediaTypes.DOCKER_SCHEMA1) || served.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
      throw new InvalidManifestException("it is a Docker schema 1 manifest, which is not supported (push the image again with a current tool)");
    }
    if (schema != 2) {
      throw new InvalidManifestException("its schemaVersion is " + root.path("schemaVersion") + ", not 2");
    }
    if (type.isEmpty()) {
      type = MediaTypes.ACCEPTED_MANIFESTS.contains(served) ? served
          : root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    Digest digest = Digest.of(bytes);
    Map<String, String> annotations = annotations(root.path("annotations"));
    if (MediaTypes.isIndex(type)) {
      List<Descriptor> manifests = new ArrayList<>();
      for (JsonNode entry : root.path("manifests")) {
        manifests.add(descriptor(entry, "an index entry"));
      }
      return new Manifest.Index(type, manifests, annotations, bytes.clone(), digest);
    }
    if (!MediaTypes.isImageManifest(type)) {
      throw new InvalidManifestException("its media type " + type + " is neither an image manifest nor an index");
    }
    if (!root.path("config").isObject()) {
      throw new InvalidManifestException("it has no config descriptor");
    }
    Descriptor config = descriptor(root.path("config"), "the config");
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode layer : root.path("layers")) {
      layers.add(descriptor(layer, "a layer"));
    }
    Optional<Descriptor> subject =
        root.path("subject").isObject() ? Optional.of(descriptor(root.path("subject"), "the subject")) : Optional.empty();
    Optional<String> artifactType = root.hasNonNull("artifactType") ? Optional.of(root.get("artifactType").asText()) : Optional.empty();
    return new Manifest.Image(type, config, layers, subject, artifactType, annotations, bytes.clone(), digest);
  }

  private static Descriptor descriptor(JsonNode node, String what) throws InvalidManifestException {
    String digest = node.path("digest").asText("");
    if (!Digest.isDigest(digest)) {
      throw new InvalidManifestException(what + " has the digest '" + digest + "', not sha256:<64 hex digits>");
    }
    if (!node.path("size").canConvertToLong() || node.path("size").asLong(-1) < 0) {
      throw new InvalidManifestException(what + " " + digest + " has no valid size");
    }
    Optional<Platform> platform = Optional.empty();
    JsonNode p = node.path("platform");
    if (p.isObject()) {
      String variant = p.path("variant").asText("");
      platform = Optional.of(new Platform(p.path("os").asText(""), p.path("architecture").asText(""), variant.isEmpty() ? null : variant));
    }
    Optional<String> artifactType = node.hasNonNull("artifactType") ? Optional.of(node.get("artifactType").asText()) : Optional.empty();
    return new Descriptor(node.path("mediaType").asText(""), Digest.parse(digest), node.path("size").asLong(), platform,
        artifactType, annotations(node.path("annotations")));
  }

  private static Map<String, String> annotations(JsonNode node) {
    Map<String, String> map = new TreeMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  public static boolean looksLikeHtml(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 512), java.nio.charset.StandardCharsets.UTF_8)
        .stripLeading().toLowerCase(java.util.Locale.ROOT);
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.contains("<body");
  }

  /** An image manifest in the given format (OCI or Docker v2.2), fields in the spec's order. */
  public static Manifest.Image writeImage(
      String mediaType, Descriptor config, List<Descriptor> layers, Optional<Descriptor> subject,
      Optional<String> artifactType, Map<String, String> annotations) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", mediaType);
    artifactType.ifPresent(t -> root.put("artifactType", t));
    root.set("config", node(config));
    ArrayNode array = root.putArray("layers");
    layers.forEach(l -> array.add(node(l)));
    subject.ifPresent(s -> root.set("subject", node(s)));
    if (!annotations.isEmpty()) {
      root.set("annotations", annotationsNode(annotations));
    }
    byte[] bytes = bytes(root);
    return new Manifest.Image(mediaType, config, layers, subject, artifactType, annotations, bytes, Digest.of(bytes));
  }

  /** An image index (or Docker manifest list); entries keep their platforms, variants included. */
  public static Manifest.Index writeIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", mediaType);
    ArrayNode array = root.putArray("manifests");
    manifests.forEach(m -> array.add(node(m)));
    if (!annotations.isEmpty()) {
      root.set("annotations", annotationsNode(annotations));
    }
    byte[] bytes = bytes(root);
    return new Manifest.Index(mediaType, manifests, annotations, bytes, Digest.of(bytes));
  }

  private static ObjectNode node(Descriptor d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mediaType", d.mediaType());
    d.artifactType().ifPresent(t -> node.put("artifactType", t));
    node.put("digest", d.digest().toString());
    node.put("size", d.size());
    d.platform().ifPresent(p -> {
      ObjectNode platform = node.putObject("platform");
      platform.put("architecture", p.architecture());
      platform.put("os", p.os());
      if (p.variant() != null) {
        platform.put("variant", p.variant());
      }
    });
    if (!d.annotations().isEmpty()) {
      node.set("annotations", annotationsNode(d.annotations()));
    }
    return node;
  }

  private static ObjectNode annotationsNode(Map<String, String> annotations) {
    ObjectNode node = JSON.createObjectNode();
    new TreeMap<>(annotations).forEach(node::put);
    return node;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a manifest", e);
    }
  }

}
