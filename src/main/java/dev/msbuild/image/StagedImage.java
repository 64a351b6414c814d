package dev.msbuild.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The base image with the artifact layer on top, as a docker-save tar that Jib takes as its base.
 * Jib passes compressed layers of such a tar through unchanged, so the base's layers keep their
 * digests and ours keeps its level-9 compression.
 *
 * @param tar the docker-save tar
 * @param compressedSize the sum of all layers' compressed sizes
 * @param baseName the base image as configured, fully qualified; empty for scratch
 * @param baseDigest the digest the base reference resolved to, empty for scratch
 * @param layers every layer blob, base first, as it will be pushed
 */
public record StagedImage(
    Path tar, long compressedSize, Optional<String> baseName, Optional<String> baseDigest, List<Blob> layers) {

  public StagedImage {
    layers = List.copyOf(layers);
  }

  /** A compressed layer: its digest and size. */
  public record Blob(String digest, long size) {}

  /** One layer of ours and the history line that says where it came from. */
  public record OwnLayer(AppLayer layer, String createdBy) {}

  public static StagedImage write(Optional<PulledImage> base, List<OwnLayer> own, Platform platform, Path target)
      throws IOException {
    ObjectNode config = base.isPresent() ? baseConfig(base.get()) : scratchConfig(platform);
    ObjectNode rootfs = config.with("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.withArray("diff_ids");
    if (!config.has("history")) {
      // Readers pair history entries with layers: give each base layer one of its own.
      for (int i = 0; i < diffIds.size(); i++) {
        config.withArray("history").addObject().put("created_by", "base image layer " + (i + 1));
      }
    }
    for (OwnLayer layer : own) {
      diffIds.add(layer.layer().diffId());
      ObjectNode history = config.withArray("history").addObject();
      history.put("created", "1970-01-01T00:00:01Z");
      history.put("created_by", layer.createdBy());
      history.put("comment", "msbuild-maven-plugin");
    }
    byte[] configBytes = ImageConfig.JSON.writeValueAsBytes(config);
    String configName = sha256Hex(configBytes) + ".json";

    List<Path> layerFiles = new ArrayList<>();
    base.ifPresent(b -> b.layers().forEach(layer -> layerFiles.add(layer.file())));
    own.forEach(layer -> layerFiles.add(layer.layer().file()));
    List<String> layerNames = new ArrayList<>();
    for (int i = 0; i < layerFiles.size(); i++) {
      layerNames.add("layer-" + i + ".tar.gz");
    }

    ArrayNode manifest = ImageConfig.JSON.createArrayNode();
    ObjectNode entry = manifest.addObject();
    entry.put("Config", configName);
    entry.putArray("RepoTags");
    ArrayNode layers = entry.putArray("Layers");
    layerNames.forEach(layers::add);

    AtomicFiles.write(
        target,
        out -> {
          try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            putBytes(tar, "manifest.json", ImageConfig.JSON.writeValueAsBytes(manifest));
            putBytes(tar, configName, configBytes);
            for (int i = 0; i < layerFiles.size(); i++) {
              TarArchiveEntry layerEntry = new TarArchiveEntry(layerFiles.get(i).toFile(), layerNames.get(i));
              tar.putArchiveEntry(layerEntry);
              Files.copy(layerFiles.get(i), tar);
              tar.closeArchiveEntry();
            }
          }
        });
    List<Blob> blobs = new ArrayList<>();
    base.ifPresent(b -> b.layers().forEach(l -> blobs.add(new Blob(l.digest(), l.size()))));
    own.forEach(l -> blobs.add(new Blob(l.layer().digest(), l.layer().size())));
    long size = blobs.stream().mapToLong(Blob::size).sum();
    return new StagedImage(
        target, size, base.map(b -> b.requested().toString()), base.map(PulledImage::resolvedDigest), blobs);
  }

  private static ObjectNode baseConfig(PulledImage base) throws IOException {
    ObjectNode config = (ObjectNode) ImageConfig.JSON.readTree(base.configJson());
    int layers = config.with("rootfs").withArray("diff_ids").size();
    if (config.has("history")) {
      int withLayer = 0;
      for (var item : config.get("history")) {
        withLayer += item.path("empty_layer").asBoolean(false) ? 0 : 1;
      }
      if (withLayer != layers) {
        // A history that does not account for every layer is rejected by readers; drop it.
        config.remove("history");
      }
    }
    return config;
  }

  private static ObjectNode scratchConfig(Platform platform) {
    ObjectNode config = ImageConfig.JSON.createObjectNode();
    config.put("created", "1970-01-01T00:00:00Z");
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (platform.variant() != null) {
      config.put("variant", platform.variant());
    }
    config.putObject("config");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    config.putArray("history");
    return config;
  }

  /** A regular file entry of fixed mode and time, for the small files of image archives. */
  public static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setMode(0100644);
    entry.setModTime(1000);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
