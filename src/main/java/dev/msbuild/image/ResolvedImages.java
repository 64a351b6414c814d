package dev.msbuild.image;

import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.ImageName;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What image references resolved to, and the manifests and configs they led to, kept in the
 * cache so that a build offline, or one that pins digests, needs no registry. Manifests and
 * configs sit in the blob store by digest like layers, written only once verified; a tag's last
 * resolution is a small file under {@code tags/<registry>/<repository>/<tag>}.
 */
final class ResolvedImages {
  private final BlobStore blobs;
  private final Path tags;

  ResolvedImages(BlobStore blobs, Path tags) {
    this.blobs = blobs;
    this.tags = tags;
  }

  /** A tag's last resolution: the digest, and when it was made. */
  record Resolution(Digest digest, Instant at) {}

  /**
   * Keeps verified manifests and configs, where they came from (for blob mounts), and the tag's
   * resolution when {@code requested} has a tag.
   */
  void remember(ImageName requested, ImageName source, Manifest top, Manifest.Image image, byte[] config) throws IOException {
    put(top.digest(), top.bytes());
    put(image.digest(), image.bytes());
    put(image.config().digest(), config);
    AtomicFiles.writeString(sourceFile(top.digest()), source.registry() + "\n" + source.repository() + "\n");
    if (requested.digest() == null && requested.tag() != null) {
      AtomicFiles.writeString(tagFile(requested), top.digest() + "\n" + Instant.now() + "\n");
    }
  }

  /** The registry still names {@code top} under {@code requested}'s tag: its resolution is as of now. */
  void confirmed(ImageName requested, Digest top) {
    try {
      AtomicFiles.writeString(tagFile(requested), top + "\n" + Instant.now() + "\n");
    } catch (IOException e) {
      // Only the time in the log is older for it.
    }
  }

  /** The registry and repository {@code top} was last pulled from, else {@code requested}'s. */
  ImageName source(ImageName requested, Digest top) {
    try {
      String[] lines = Files.readString(sourceFile(top)).split("\n");
      return requested.withRegistry(lines[0].trim()).withRepository(lines[1].trim());
    } catch (IOException | RuntimeException e) {
      return requested;
    }
  }

  private Path sourceFile(Digest top) {
    return tags.resolveSibling("sources").resolve(top.hex());
  }

  Optional<Resolution> tag(ImageName requested) {
    if (requested.tag() == null) {
      return Optional.empty();
    }
    try {
      String[] lines = Files.readString(tagFile(requested)).split("\n");
      return Optional.of(new Resolution(Digest.parse(lines[0].trim()), lines.length > 1 ? Instant.parse(lines[1].trim()) : Instant.EPOCH));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A kept manifest or config, when it is there and still hashes to its digest. */
  Optional<byte[]> bytes(Digest digest) {
    Path path = blobs.pathOf(digest);
    try {
      if (!Files.isRegularFile(path) || Files.size(path) > 4 << 20) {
        return Optional.empty();
      }
      byte[] bytes = Files.readAllBytes(path);
      return Digest.of(bytes).equals(digest) ? Optional.of(bytes) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  boolean hasBlob(Digest digest) {
    return Files.isRegularFile(blobs.pathOf(digest));
  }

  private void put(Digest digest, byte[] bytes) throws IOException {
    if (!Files.isRegularFile(blobs.pathOf(digest))) {
      blobs.obtain(digest, temp -> Files.write(temp, bytes));
    }
  }

  private Path tagFile(ImageName name) {
    // Repository paths are [a-z0-9._/-]; a tag is [A-Za-z0-9_.-]: both safe as file names.
    return tags.resolve(name.registry().replace(':', '_')).resolve(name.repository()).resolve(name.tag());
  }

  static String describe(Resolution r) {
    return r.digest() + " (resolved " + r.at().toString().replaceFirst("\\.\\d+Z$", "Z") + ")";
  }

}
