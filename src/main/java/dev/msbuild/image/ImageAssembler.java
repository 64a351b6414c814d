package dev.msbuild.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.ContainerSpec;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.Platform;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.ManifestCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts an image together: the base's layers (passed through untouched, each remembered with the
 * repository it came from), our layers on top, and the config — the base's, with the container
 * configuration applied and every map written in sorted order, so the bytes depend on the inputs
 * alone, not on the JVM or the order settings were read in.
 */
public final class ImageAssembler {
  private ImageAssembler() {}

  public static final String BASE_NAME_LABEL = "org.opencontainers.image.base.name";
  public static final String BASE_DIGEST_LABEL = "org.opencontainers.image.base.digest";

  /** One layer of ours and the history line that says where it came from. */
  public record OwnLayer(AppLayer layer, String createdBy) {}

  /**
   * @param defaultEntrypoint used when the configuration sets none: the artifact itself
   * @param stageEnvironment variables the final stage's files need (ZONEINFO); configured ones win
   * @param defaultUser the user when none is configured (the non-root user, if one was added)
   */
  public static AssembledImage assemble(
      Optional<PulledImage> base, List<OwnLayer> own, Platform platform, ContainerSpec spec, List<String> defaultEntrypoint,
      Map<String, String> stageEnvironment, Optional<String> defaultUser) {
    Instant created = spec.created().orElse(Instant.EPOCH);
    ObjectNode config = base.isPresent() ? baseConfig(base.get()) : scratchConfig(platform);
    config.put("created", created.toString());
    ObjectNode container = config.has("config") && config.get("config").isObject()
        ? (ObjectNode) config.get("config") : config.putObject("config");
    applyContainer(container, spec, defaultEntrypoint, stageEnvironment, defaultUser, base);

    return withLayers(config, base, own, platform, created, spec.format());
  }

  /**
   * A Dockerfile's final stage: {@code container} is the config its instructions made (the base's,
   * changed by ENV, CMD, ...), used as it is; the base's layers, then {@code own}.
   */
  public static AssembledImage assembleStage(
      Optional<PulledImage> base, List<OwnLayer> own, Platform platform, ObjectNode container, Instant created, ImageFormat format) {
    ObjectNode config = base.isPresent() ? baseConfig(base.get()) : scratchConfig(platform);
    config.put("created", created.toString());
    config.set("config", container.deepCopy());
    if (base.isPresent()) {
      TreeMap<String, String> labels = new TreeMap<>();
      container.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.putIfAbsent(BASE_NAME_LABEL, base.get().requested().toString());
      labels.putIfAbsent(BASE_DIGEST_LABEL, base.get().resolvedDigest());
      ObjectNode node = ((ObjectNode) config.get("config")).putObject("Labels");
      labels.forEach(node::put);
    }
    return withLayers(config, base, own, platform, created, format);
  }

  private static AssembledImage withLayers(
      ObjectNode config, Optional<PulledImage> base, List<OwnLayer> own, Platform platform, Instant created, ImageFormat format) {
    List<ImageLayer> layers = new ArrayList<>();
    if (base.isPresent()) {
      PulledImage b = base.get();
      JsonNode diffIds = config.path("rootfs").path("diff_ids");
      ImageLayer.Source source = new ImageLayer.Source(b.source().registry(), b.source().repository());
      for (int i = 0; i < b.layers().size(); i++) {
        PulledImage.Layer l = b.layers().get(i);
        Digest diffId = Digest.isDigest(diffIds.path(i).asText()) ? Digest.parse(diffIds.path(i).asText()) : Digest.parse(l.digest());
        layers.add(new ImageLayer(Digest.parse(l.digest()), diffId, l.size(), l.mediaType(), l.file(), Optional.of(source), ""));
      }
    }
    ObjectNode rootfs = config.with("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.withArray("diff_ids");
    for (OwnLayer layer : own) {
      AppLayer l = layer.layer();
      diffIds.add(l.diffId());
      ObjectNode history = config.withArray("history").addObject();
      history.put("created", created.toString());
      history.put("created_by", layer.createdBy());
      history.put("comment", "msbuild-maven-plugin");
      layers.add(new ImageLayer(Digest.parse(l.digest()), Digest.parse(l.diffId()), l.size(), dev.msbuild.oci.MediaTypes.OCI_LAYER_GZIP,
          l.file(), Optional.empty(), layer.createdBy()));
    }
    byte[] bytes;
    try {
      bytes = ManifestCodec.JSON.writeValueAsBytes(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AssembledImage(platform, base.map(b -> b.requested().toString()), base.map(PulledImage::resolvedDigest), layers,
        bytes, format);
  }

  private static void applyContainer(
      ObjectNode container, ContainerSpec spec, List<String> defaultEntrypoint, Map<String, String> stageEnvironment,
      Optional<String> defaultUser, Optional<PulledImage> base) {
    // As in a Dockerfile, a new entrypoint drops the base's CMD: alpine's /bin/sh must not become
    // the artifact's argument.
    strings(container.putArray("Entrypoint"), spec.entrypoint().isEmpty() ? defaultEntrypoint : spec.entrypoint());
    if (spec.args().isEmpty()) {
      container.remove("Cmd");
    } else {
      strings(container.putArray("Cmd"), spec.args());
    }
    Map<String, String> environment = new TreeMap<>(stageEnvironment);
    environment.putAll(spec.environment());
    if (!environment.isEmpty() || container.has("Env")) {
      LinkedHashMap<String, String> merged = new LinkedHashMap<>();
      List<String> unkeyed = new ArrayList<>();
      container.path("Env").forEach(e -> {
        String entry = e.asText();
        int eq = entry.indexOf('=');
        if (eq > 0) {
          merged.put(entry.substring(0, eq), entry.substring(eq + 1));
        } else {
          unkeyed.add(entry);
        }
      });
      merged.putAll(environment);
      ArrayNode env = container.putArray("Env");
      unkeyed.forEach(env::add);
      merged.forEach((k, v) -> env.add(k + "=" + v));
    }
    TreeSet<String> ports = new TreeSet<>();
    container.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    ports.addAll(ports(spec.ports()));
    if (ports.isEmpty()) {
      container.remove("ExposedPorts");
    } else {
      ObjectNode exposed = container.putObject("ExposedPorts");
      ports.forEach(p -> exposed.putObject(p));
    }
    // Labels: the base's, then what the base is (a fact of this build), then the configured ones, which win.
    TreeMap<String, String> labels = new TreeMap<>();
    container.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    base.ifPresent(b -> {
      labels.put(BASE_NAME_LABEL, b.requested().toString());
      labels.put(BASE_DIGEST_LABEL, b.resolvedDigest());
    });
    labels.putAll(spec.labels());
    if (labels.isEmpty()) {
      container.remove("Labels");
    } else {
      ObjectNode node = container.putObject("Labels");
      labels.forEach(node::put);
    }
    if (spec.user() != null && !spec.user().isEmpty()) {
      container.put("User", spec.user());
    } else if (defaultUser.isPresent()) {
      container.put("User", defaultUser.get());
    }
    TreeSet<String> volumes = new TreeSet<>();
    container.path("Volumes").fieldNames().forEachRemaining(volumes::add);
    volumes.addAll(spec.volumes());
    if (!volumes.isEmpty()) {
      ObjectNode node = container.putObject("Volumes");
      volumes.forEach(v -> node.putObject(v));
    }
    if (spec.workingDirectory() != null && !spec.workingDirectory().isEmpty()) {
      container.put("WorkingDir", spec.workingDirectory());
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static ObjectNode baseConfig(PulledImage base) {
    ObjectNode config;
    try {
      config = (ObjectNode) ManifestCodec.JSON.readTree(base.configJson());
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("the base image's config is not a JSON object", e);
    }
    int layers = config.with("rootfs").withArray("diff_ids").size();
    if (config.has("history")) {
      int withLayer = 0;
      for (JsonNode item : config.get("history")) {
        withLayer += item.path("empty_layer").asBoolean(false) ? 0 : 1;
      }
      if (withLayer != layers) {
        // A history that does not account for every layer is rejected by readers; drop it.
        config.remove("history");
      }
    }
    if (!config.has("history") && layers > 0) {
      // Readers pair history entries with layers: give each base layer one of its own.
      for (int i = 0; i < layers; i++) {
        config.withArray("history").addObject().put("created_by", "base image layer " + (i + 1));
      }
    }
    return config;
  }

  private static ObjectNode scratchConfig(Platform platform) {
    ObjectNode config = ManifestCodec.JSON.createObjectNode();
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (platform.variant() != null) {
      config.put("variant", platform.variant());
    }
    config.put("created", Instant.EPOCH.toString());
    config.putObject("config");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    config.putArray("history");
    return config;
  }

  /** Ports as validated by the plan: {@code 8080}, {@code 8080/udp}, {@code 9000-9002/tcp}. */
  static List<String> ports(List<String> specs) {
    List<String> ports = new ArrayList<>();
    for (String spec : specs) {
      String[] numberAndProtocol = spec.trim().split("/", 2);
      String protocol = numberAndProtocol.length == 2 && numberAndProtocol[1].equalsIgnoreCase("udp") ? "udp" : "tcp";
      String[] range = numberAndProtocol[0].split("-", 2);
      int low = Integer.parseInt(range[0].trim());
      int high = range.length == 2 ? Integer.parseInt(range[1].trim()) : low;
      for (int port = low; port <= high; port++) {
        ports.add(port + "/" + protocol);
      }
    }
    return ports;
  }
}
