package dev.msbuild.attest;

import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A document about an image (its SBOM, its provenance), as an OCI 1.1 artifact: a manifest whose
 * {@code subject} is the image's manifest, whose {@code artifactType} says what the document is,
 * with the empty config and the document as its one layer.
 *
 * @param what for the log: "SBOM (SPDX 2.3)"
 */
public record Attachment(String what, String artifactType, byte[] document, Manifest.Image manifest) {
  public static Attachment of(String what, String artifactType, String mediaType, byte[] document, Descriptor subject,
      Map<String, String> annotations) {
    Descriptor layer = Descriptor.of(mediaType, document);
    Manifest.Image manifest = ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_EMPTY, MediaTypes.OCI_EMPTY_CONTENT),
        List.of(layer), Optional.of(new Descriptor(subject.mediaType(), subject.digest(), subject.size())),
        Optional.of(artifactType), annotations);
    return new Attachment(what, artifactType, document.clone(), manifest);
  }

  public Descriptor layer() {
    return manifest.layers().get(0);
  }

  public Descriptor config() {
    return manifest.config();
  }

  /** The attachment as an entry of its subject's referrers index. */
  public Descriptor referrer() {
    return manifest.descriptor().withArtifactType(artifactType).withAnnotations(manifest.annotations());
  }
}
