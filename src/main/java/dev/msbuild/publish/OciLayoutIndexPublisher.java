package dev.msbuild.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.TarFormat;
import dev.msbuild.image.PlatformIndex;
import dev.msbuild.image.StagedImage;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A multi-platform OCI image layout archive: each platform's image as Jib writes it, merged into
 * one layout whose index.json names an image index of all of them (tagged with the image's tag).
 */
public final class OciLayoutIndexPublisher implements IndexPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageName name;
  private final Path file;
  private final Path cacheDirectory;
  private final BuildLog log;

  public OciLayoutIndexPublisher(ImageName name, Path file, Path cacheDirectory, BuildLog log) {
    this.name = name;
    this.file = file;
    this.cacheDirectory = cacheDirectory;
    this.log = log;
  }

  @Override
  public PublishResult publish(List<PlatformImage> images) {
    Path work = file.resolveSibling("oci-platforms");
    try {
      LayerUnpacker.deleteRecursively(work);
      Files.createDirectories(work);
      TreeMap<String, Path> blobs = new TreeMap<>();
      List<PlatformIndex.Entry> entries = new ArrayList<>();
      List<PublishResult.PlatformManifest> manifests = new ArrayList<>();
      long compressed = 0;
      for (PlatformImage image : images) {
        Path one = work.resolve(image.platform().directoryName() + ".tar");
        PublishResult result =
            new TarPublisher(name, one, TarFormat.OCI, cacheDirectory, image.platform().toString(), log).publish(image.image());
        compressed += result.compressedSize();
        JsonNode descriptor = readLayout(one, work.resolve("blobs"), blobs).path("manifests").path(0);
        entries.add(new PlatformIndex.Entry(image.platform(), descriptor.path("mediaType").asText(),
            descriptor.path("digest").asText(), descriptor.path("size").asLong()));
        manifests.add(new PublishResult.PlatformManifest(image.platform().toString(), descriptor.path("digest").asText(),
            descriptor.path("size").asLong()));
        Files.delete(one);
      }
      PlatformIndex index = PlatformIndex.of(true, entries);
      ObjectNode top = JSON.createObjectNode();
      top.put("schemaVersion", 2);
      top.put("mediaType", PlatformIndex.OCI_INDEX);
      ObjectNode ref = top.putArray("manifests").addObject();
      ref.put("mediaType", PlatformIndex.OCI_INDEX);
      ref.put("digest", index.digest());
      ref.put("size", index.size());
      ref.putObject("annotations").put("org.opencontainers.image.ref.name", name.tag() == null ? "latest" : name.tag());
      byte[] topBytes = JSON.writeValueAsBytes(top);
      AtomicFiles.write(file, out -> {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
          tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
          tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
          StagedImage.putBytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
          StagedImage.putBytes(tar, "index.json", topBytes);
          StagedImage.putBytes(tar, "blobs/sha256/" + index.digest().substring("sha256:".length()), index.json());
          for (var blob : blobs.entrySet()) {
            TarArchiveEntry entry = new TarArchiveEntry("blobs/sha256/" + blob.getKey());
            entry.setSize(Files.size(blob.getValue()));
            entry.setMode(0100644);
            entry.setModTime(1000);
            tar.putArchiveEntry(entry);
            Files.copy(blob.getValue(), tar);
            tar.closeArchiveEntry();
          }
        }
      });
      LayerUnpacker.deleteRecursively(work);
      return new PublishResult(
          name + "@" + index.digest(), index.digest(), index.digest(),
          name.tag() == null ? List.of() : List.of(name.tag()),
          String.join(",", images.stream().map(i -> i.platform().toString()).toList()),
          compressed,
          images.get(0).image().staged().baseName(),
          images.get(0).image().staged().baseDigest(),
          Optional.of(file), "OCI", 0, 0, manifests);
    } catch (IOException e) {
      throw new MsbuildException("Could not write " + file + ": " + e.getMessage(), null, "check that target/ is writable.", e);
    }
  }

  /** Extracts a layout's blobs (once per digest) and returns its index.json. */
  private static JsonNode readLayout(Path tarFile, Path blobDir, TreeMap<String, Path> blobs) throws IOException {
    Files.createDirectories(blobDir);
    JsonNode index = null;
    try (InputStream in = Files.newInputStream(tarFile); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String entryName = entry.getName().replaceFirst("^\\./", "");
        if (entryName.equals("index.json")) {
          index = JSON.readTree(tar.readAllBytes());
        } else if (entryName.startsWith("blobs/sha256/") && entry.isFile()) {
          String hex = entryName.substring("blobs/sha256/".length());
          if (!hex.matches("[0-9a-f]{64}")) {
            continue;
          }
          if (!blobs.containsKey(hex)) {
            Path target = blobDir.resolve(hex);
            Files.copy(tar, target);
            blobs.put(hex, target);
          }
        }
      }
    }
    if (index == null) {
      throw new IOException(tarFile + " has no index.json");
    }
    return index;
  }
}
