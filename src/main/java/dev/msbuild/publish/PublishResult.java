package dev.msbuild.publish;

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
 * @param baseDigest the base image's manifest digest, empty for scratch
 * @param tarFile the archive written, for tar outputs
 */
public record PublishResult(
    String reference,
    String digest,
    String imageId,
    List<String> tags,
    String platform,
    long compressedSize,
    Optional<String> baseDigest,
    Optional<Path> tarFile) {

  public PublishResult {
    tags = List.copyOf(tags);
  }
}
