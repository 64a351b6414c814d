package dev.msbuild.publish;

import dev.msbuild.attest.Attachment;
import dev.msbuild.attest.Attestor;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.TarFormat;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.oci.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes the image to a file, no registry involved: a {@code docker load} archive (Docker
 * manifests), or an OCI image layout (OCI manifests).
 */
public final class TarPublisher implements ImagePublisher {
  private final ImageName name;
  private final Path file;
  private final TarFormat format;
  private final Attestor attestor;

  /** An OCI layout carries the attestor's documents as referrers of the image; a docker load archive cannot. */
  public TarPublisher(ImageName name, Path file, TarFormat format, Attestor attestor) {
    this.attestor = attestor;
    this.name = name;
    this.file = file;
    this.format = format;
  }

  @Override
  public PublishResult publish(AssembledImage assembled) {
    // The archive's format decides the manifest format: docker load reads Docker manifests only.
    AssembledImage image = assembled.withFormat(format == TarFormat.OCI ? ImageFormat.OCI : ImageFormat.DOCKER);
    Manifest.Image manifest = image.manifest();
    List<Attachment> attachments = format == TarFormat.OCI
        ? attestor.attach(name.registry() + "/" + name.repository(), name.toString(), image, manifest) : List.of();
    try {
      if (format == TarFormat.OCI) {
        ImageArchive.Blobs blobs = new ImageArchive.Blobs();
        blobs.add(image, manifest);
        ImageArchive.writeOciLayout(manifest, name.tag() == null ? "latest" : name.tag(), blobs, attachments, file);
      } else {
        ImageArchive.writeDocker(image, name, file);
      }
    } catch (IOException e) {
      throw new MsbuildException("Could not write " + file + ": " + e.getMessage(), null,
          "check that target/ is writable and the disk has room.", e);
    }
    return new PublishResult(name + "@" + manifest.digest(), manifest.digest().toString(), image.imageId().toString(),
        name.tag() == null ? List.of() : List.of(name.tag()), image.platform().toString(), image.compressedSize(),
        image.baseName(), image.baseDigest(), Optional.of(file), image.formatName(), 0, 0, List.of(),
        attachments.stream().map(a -> PublishResult.AttachedDocument.of(image.platform().toString(), manifest, a)).toList());
  }
}
