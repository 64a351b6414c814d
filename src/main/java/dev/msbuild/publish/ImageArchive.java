package dev.msbuild.publish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.attest.Attachment;
import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.ImageName;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.ImageLayer;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.MediaTypes;
import dev.msbuild.oci.ManifestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Image archives, written whole or not at all (temp file, then rename) with fixed entry order,
 * modes and times: a {@code docker load} archive, or an OCI image layout that skopeo, crane and
 * podman read.
 */
final class ImageArchive {
  private ImageArchive() {}

  /** A {@code docker save} style archive of one image: manifest.json, the config, the layers. */
  static void writeDocker(AssembledImage image, ImageName name, Path file) throws IOException {
    ObjectNode entry = ManifestCodec.JSON.createObjectNode();
    String configName = image.imageId().hex() + ".json";
    entry.put("Config", configName);
    entry.putArray("RepoTags").add(name.registry() + "/" + name.repository() + ":" + (name.tag() == null ? "latest" : name.tag()));
    ArrayNode layers = entry.putArray("Layers");
    TreeMap<String, ImageLayer> files = new TreeMap<>();
    for (ImageLayer layer : image.layers()) {
      String layerName = layer.digest().hex() + ".tar.gz";
      layers.add(layerName);
      files.putIfAbsent(layerName, layer);
    }
    byte[] manifest = ManifestCodec.JSON.writeValueAsBytes(ManifestCodec.JSON.createArrayNode().add(entry));
    AtomicFiles.write(file, out -> {
      try (TarArchiveOutputStream tar = tar(out)) {
        putBytes(tar, "manifest.json", manifest);
        putBytes(tar, configName, image.config());
        for (var layer : files.entrySet()) {
          putFile(tar, layer.getKey(), layer.getValue().file());
        }
      }
    });
  }

  /** The blobs of an OCI layout, by digest: files on disk or bytes in memory. */
  static final class Blobs {
    private final TreeMap<Digest, Object> blobs = new TreeMap<>();

    void add(Digest digest, byte[] bytes) {
      blobs.putIfAbsent(digest, bytes);
    }

    void add(Digest digest, Path file) {
      blobs.putIfAbsent(digest, file);
    }

    /** An image's config, layers and manifest. */
    void add(AssembledImage image, Manifest.Image manifest) {
      add(image.imageId(), image.config());
      image.layers().forEach(l -> add(l.digest(), l.file()));
      add(manifest.digest(), manifest.bytes());
    }
  }

  /**
   * An OCI image layout whose index.json names {@code top} (an image manifest or an image
   * index) under the reference {@code tag}, and lists each attachment beside it (their blobs in
   * the layout too), which is how a layout holds the referrers of what it holds.
   */
  static void writeOciLayout(Manifest top, String tag, Blobs blobs, List<Attachment> attachments, Path file) throws IOException {
    blobs.add(top.digest(), top.bytes());
    ObjectNode index = ManifestCodec.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", dev.msbuild.oci.MediaTypes.OCI_INDEX);
    ObjectNode ref = index.putArray("manifests").addObject();
    ref.put("mediaType", top.mediaType());
    ref.put("digest", top.digest().toString());
    ref.put("size", top.bytes().length);
    ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    for (Attachment a : attachments) {
      blobs.add(a.config().digest(), MediaTypes.OCI_EMPTY_CONTENT);
      blobs.add(a.layer().digest(), a.document());
      blobs.add(a.manifest().digest(), a.manifest().bytes());
      ObjectNode entry = index.withArray("manifests").addObject();
      entry.put("mediaType", a.manifest().mediaType());
      entry.put("artifactType", a.artifactType());
      entry.put("digest", a.manifest().digest().toString());
      entry.put("size", a.manifest().bytes().length);
    }
    byte[] indexBytes = ManifestCodec.JSON.writeValueAsBytes(index);
    AtomicFiles.write(file, out -> {
      try (TarArchiveOutputStream tar = tar(out)) {
        putBytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        putBytes(tar, "index.json", indexBytes);
        for (var blob : blobs.blobs.entrySet()) {
          String name = "blobs/sha256/" + blob.getKey().hex();
          if (blob.getValue() instanceof Path path) {
            putFile(tar, name, path);
          } else {
            putBytes(tar, name, (byte[]) blob.getValue());
          }
        }
      }
    });
  }

  private static TarArchiveOutputStream tar(java.io.OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    return tar;
  }

  /** A regular file entry of fixed mode and time, for the small files of image archives. */
  static void putBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = entry(name, bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void putFile(TarArchiveOutputStream tar, String name, Path file) throws IOException {
    tar.putArchiveEntry(entry(name, Files.size(file)));
    Files.copy(file, tar);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0100644);
    entry.setModTime(1000);
    return entry;
  }

}
