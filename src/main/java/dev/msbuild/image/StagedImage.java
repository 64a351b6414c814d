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
 * @param baseDigest the base manifest's digest, empty for scratch
 */
public record StagedImage(Path tar, long compressedSize, Optional<String> baseDigest) {

  public static StagedImage write(
      Optional<PulledImage> base, AppLayer appLayer, Platform platform, String createdBy, Path target)
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
    diffIds.add(appLayer.diffId());
    ObjectNode history = config.withArray("history").addObject();
    history.put("created", "1970-01-01T00:00:01Z");
    history.put("created_by", createdBy);
    history.put("comment", "msbuild-maven-plugin");
    byte[] configBytes = ImageConfig.JSON.writeValueAsBytes(config);
    String configName = sha256Hex(configBytes) + ".json";

    List<Path> layerFiles = new ArrayList<>();
    base.ifPresent(b -> b.layers().forEach(layer -> layerFiles.add(layer.file())));
    layerFiles.add(appLayer.file());
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
    long size = appLayer.size() + base.map(PulledImage::compressedSize).orElse(0L);
    return new StagedImage(target, size, base.map(PulledImage::manifestDigest));
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

  private static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
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
