package dev.msbuild.publish;

import dev.msbuild.attest.Attachment;
import dev.msbuild.oci.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What publishing produced.
 *
 * @param reference the image reference, with its digest
 * @param digest the manifest digest
 * @param imageId the config digest
 * @param tags the tags written
 * @param platform the image's platform
 * @param compressedSize the sum of the layers' compressed sizes
 * @param baseName the base image as configured, empty for scratch
 * @param baseDigest the digest the base resolved to, empty for scratch
 * @param tarFile the archive written, for tar outputs
 * @param format the manifest format, Docker or OCI
 * @param pushedBytes layer bytes sent to the registry (0 for tar outputs)
 * @param reusedBytes layer bytes the registry already had
 * @param manifests each platform's manifest, for a multi-platform image (then {@code digest} is the index's)
 * @param attachments the SBOMs and provenance attached to the image (or to each platform's)
 */
public record PublishResult(
    String reference,
    String digest,
    String imageId,
    List<String> tags,
    String platform,
    long compressedSize,
    Optional<String> baseName,
    Optional<String> baseDigest,
    Optional<Path> tarFile,
    String format,
    long pushedBytes,
    long reusedBytes,
    List<PlatformManifest> manifests,
    List<AttachedDocument> attachments) {

  public PublishResult {
    tags = List.copyOf(tags);
    manifests = List.copyOf(manifests);
    attachments = List.copyOf(attachments);
  }

  /**
   * A document attached to {@code subject}: its manifest's digest and size, the document's size
   * (0 when only listed), and what it is.
   */
  public record AttachedDocument(
      String platform, String subject, String artifactType, String digest, long size, long documentSize, String what) {

    /** An attachment just made for {@code subject}, the image of {@code platform}. */
    static AttachedDocument of(String platform, Manifest.Image subject, Attachment a) {
      return new AttachedDocument(platform, subject.digest().toString(), a.artifactType(), a.manifest().digest().toString(),
          a.manifest().bytes().length, a.document().length, a.what());
    }
  }

  /** One platform's manifest in an index. */
  public record PlatformManifest(String platform, String digest, long size) {}
}
