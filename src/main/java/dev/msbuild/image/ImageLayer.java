package dev.msbuild.image;

import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One layer of an image to publish: its compressed blob on disk, its digests and size, and, for a
 * base layer, the repository it came from, so that a push to the same registry can mount it
 * instead of sending it.
 *
 * @param digest sha256 of the compressed blob
 * @param diffId sha256 of the uncompressed tar, as the config lists it
 * @param mediaType the layer's media type in the image's own format
 * @param mountFrom the registry and repository that hold this blob, for base layers
 * @param history the config's history line for it; empty for base layers (the base's history stays)
 */
public record ImageLayer(
    Digest digest, Digest diffId, long size, String mediaType, Path file, Optional<Source> mountFrom, String history) {

  /** Where a blob already is: a repository of a registry. */
  public record Source(String registry, String repository) {}

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, size);
  }

  public ImageLayer withMediaType(String type) {
    return new ImageLayer(digest, diffId, size, type, file, mountFrom, history);
  }
}
