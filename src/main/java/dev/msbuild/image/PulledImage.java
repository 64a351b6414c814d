package dev.msbuild.image;

import dev.msbuild.config.ImageName;
import dev.msbuild.config.Platform;
import java.nio.file.Path;
import java.util.List;

/**
 * An image pulled for one platform: its manifest's digest, its raw config and its layer blobs on
 * disk, in order. Plain values; nothing here refers to the registry client that fetched it.
 *
 * @param requested the reference as configured
 * @param source where it came from (a mirror, or the registry itself)
 * @param resolvedDigest the digest the reference resolved to (an index's, for a multi-platform image)
 * @param manifestDigest the platform manifest's digest
 * @param platform the platform picked
 * @param configJson the image config blob, byte for byte
 * @param layers the layers, base first
 * @param manifestMediaType the platform manifest's media type (OCI or Docker v2.2)
 */
public record PulledImage(
    ImageName requested,
    ImageName source,
    String resolvedDigest,
    String manifestDigest,
    Platform platform,
    byte[] configJson,
    List<Layer> layers,
    String manifestMediaType) {

  public PulledImage {
    layers = List.copyOf(layers);
  }

  /** One layer blob as stored. */
  public record Layer(String digest, long size, String mediaType, Path file) {}

  public long compressedSize() {
    return layers.stream().mapToLong(Layer::size).sum();
  }

  public ImageConfig config() {
    return ImageConfig.parse(configJson);
  }
}
