package dev.msbuild.oci;

import dev.msbuild.config.Platform;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a manifest or index says of one blob or manifest it refers to: its media type, digest and
 * size, and for an index entry the platform it is for.
 */
public record Descriptor(
    String mediaType, Digest digest, long size, Optional<Platform> platform, Optional<String> artifactType,
    Map<String, String> annotations) {

  public Descriptor {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " for " + digest);
    }
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, Optional.empty(), Optional.empty(), Map.of());
  }

  public static Descriptor of(String mediaType, byte[] content) {
    return new Descriptor(mediaType, Digest.of(content), content.length);
  }

  public Descriptor withPlatform(Platform platform) {
    return new Descriptor(mediaType, digest, size, Optional.of(platform), artifactType, annotations);
  }

  public Descriptor withAnnotations(Map<String, String> more) {
    return new Descriptor(mediaType, digest, size, platform, artifactType, more);
  }

  public Descriptor withArtifactType(String type) {
    return new Descriptor(mediaType, digest, size, platform, Optional.of(type), annotations);
  }
}
