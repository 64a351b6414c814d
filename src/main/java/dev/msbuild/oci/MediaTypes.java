package dev.msbuild.oci;

import java.util.List;
import java.util.Set;

/** The media types of the OCI image spec and of Docker's v2.2 schema, and what each one is. */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  /** The content {@link #OCI_EMPTY} names: {@code {}}. Never written to. */
  public static final byte[] OCI_EMPTY_CONTENT = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** Docker's schema 1, long deprecated: recognised only to refuse it clearly. */
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

  public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
  public static final Set<String> IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

  /** What a manifest request accepts, most specific first. */
  public static final List<String> ACCEPTED_MANIFESTS = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  public static boolean isImageManifest(String mediaType) {
    return IMAGE_MANIFESTS.contains(mediaType);
  }

  /** The layer type of {@code layerType} in a manifest of the other format, where one exists. */
  public static String layerTypeFor(boolean oci, String layerType) {
    if (oci && layerType.equals(DOCKER_LAYER_GZIP)) {
      return OCI_LAYER_GZIP;
    }
    if (!oci && layerType.equals(OCI_LAYER_GZIP)) {
      return DOCKER_LAYER_GZIP;
    }
    return layerType;
  }
}
