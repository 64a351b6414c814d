package dev.msbuild.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest as a registry holds it: its exact bytes (which its digest is computed from), and
 * what they say. Either one image's manifest or an index of manifests.
 */
public sealed interface Manifest permits Manifest.Image, Manifest.Index {
  String mediaType();

  /** The bytes as pushed or pulled; the digest is of these, never of a re-serialization. */
  byte[] bytes();

  Digest digest();

  default Descriptor descriptor() {
    return new Descriptor(mediaType(), digest(), bytes().length);
  }

  /** One image: its config and its layers, base first. */
  record Image(
      String mediaType, Descriptor config, List<Descriptor> layers, Optional<Descriptor> subject,
      Optional<String> artifactType, Map<String, String> annotations, byte[] bytes, Digest digest) implements Manifest {
    public Image {
      layers = List.copyOf(layers);
      annotations = Map.copyOf(annotations);
    }
  }

  /** An image index or Docker manifest list: one entry per platform (or per attached artifact). */
  record Index(
      String mediaType, List<Descriptor> manifests, Map<String, String> annotations, byte[] bytes, Digest digest)
      implements Manifest {
    public Index {
      manifests = List.copyOf(manifests);
      annotations = Map.copyOf(annotations);
    }
  }
}
