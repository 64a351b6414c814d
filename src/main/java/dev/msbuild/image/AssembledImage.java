package dev.msbuild.image;

import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.Platform;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A finished image for one platform, as an immutable value: its layers (the base's, then ours),
 * its config bytes and its manifest format. Its manifest, and so its digest, follow from these
 * alone; publishers only send or write what is here.
 *
 * @param baseName the base image as configured, fully qualified; empty for scratch
 * @param baseDigest the digest the base reference resolved to (an index's, for a multi-platform base)
 * @param config the config blob, byte for byte
 * @param contents what the build put in, for the SBOM and the provenance (not part of the manifest)
 */
public record AssembledImage(
    Platform platform, Optional<String> baseName, Optional<String> baseDigest, List<ImageLayer> layers, byte[] config,
    ImageFormat format, ImageContents contents) {

  public AssembledImage(
      Platform platform, Optional<String> baseName, Optional<String> baseDigest, List<ImageLayer> layers, byte[] config,
      ImageFormat format) {
    this(platform, baseName, baseDigest, layers, config, format, ImageContents.NONE);
  }

  public AssembledImage {
    layers = List.copyOf(layers);
    boolean oci = format == ImageFormat.OCI;
    layers = layers.stream().map(l -> l.withMediaType(MediaTypes.layerTypeFor(oci, l.mediaType()))).toList();
  }

  /** The same image in another manifest format (a docker load archive needs Docker's). */
  public AssembledImage withFormat(ImageFormat other) {
    return new AssembledImage(platform, baseName, baseDigest, layers, config, other, contents);
  }

  /** The same image, with what the build put into it. */
  public AssembledImage withContents(ImageContents what) {
    return new AssembledImage(platform, baseName, baseDigest, layers, config, format, what);
  }

  public Descriptor configDescriptor() {
    return Descriptor.of(format == ImageFormat.OCI ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, config);
  }

  /** The config's digest: the image id {@code docker images} shows. */
  public Digest imageId() {
    return Digest.of(config);
  }

  public Manifest.Image manifest() {
    return ManifestCodec.writeImage(format == ImageFormat.OCI ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST,
        configDescriptor(), layers.stream().map(ImageLayer::descriptor).toList(), Optional.empty(), Optional.empty(), Map.of());
  }

  public long compressedSize() {
    return layers.stream().mapToLong(ImageLayer::size).sum();
  }

  public String formatName() {
    return format == ImageFormat.OCI ? "OCI" : "Docker";
  }
}
