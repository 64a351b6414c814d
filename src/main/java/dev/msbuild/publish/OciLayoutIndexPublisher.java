package dev.msbuild.publish;

import dev.msbuild.attest.Attachment;
import dev.msbuild.attest.Attestor;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A multi-platform OCI image layout archive: every platform's image, and an image index of them
 * that index.json names under the image's tag.
 */
public final class OciLayoutIndexPublisher implements IndexPublisher {
  private final ImageName name;
  private final Path file;
  private final Attestor attestor;

  public OciLayoutIndexPublisher(ImageName name, Path file, Attestor attestor) {
    this.attestor = attestor;
    this.name = name;
    this.file = file;
  }

  @Override
  public PublishResult publish(List<PlatformImage> images) {
    ImageArchive.Blobs blobs = new ImageArchive.Blobs();
    List<Descriptor> entries = new ArrayList<>();
    List<PublishResult.PlatformManifest> manifests = new ArrayList<>();
    long compressed = 0;
    List<Attachment> attachments = new ArrayList<>();
    List<PublishResult.AttachedDocument> attached = new ArrayList<>();
    for (PlatformImage platformImage : images) {
      AssembledImage image = platformImage.image().withFormat(ImageFormat.OCI);
      Manifest.Image manifest = image.manifest();
      blobs.add(image, manifest);
      entries.add(manifest.descriptor().withPlatform(platformImage.platform()));
      manifests.add(new PublishResult.PlatformManifest(platformImage.platform().toString(), manifest.digest().toString(),
          manifest.bytes().length));
      compressed += image.compressedSize();
      for (Attachment a : attestor.attach(name.registry() + "/" + name.repository(), name.toString(), image, manifest)) {
        attachments.add(a);
        attached.add(PublishResult.AttachedDocument.of(platformImage.platform().toString(), manifest, a));
      }
    }
    Manifest.Index index = ManifestCodec.writeIndex(MediaTypes.OCI_INDEX, entries, Map.of());
    try {
      ImageArchive.writeOciLayout(index, name.tag() == null ? "latest" : name.tag(), blobs, attachments, file);
    } catch (IOException e) {
      throw new MsbuildException("Could not write " + file + ": " + e.getMessage(), null, "check that target/ is writable.", e);
    }
    return new PublishResult(name + "@" + index.digest(), index.digest().toString(), index.digest().toString(),
        name.tag() == null ? List.of() : List.of(name.tag()),
        String.join(",", images.stream().map(i -> i.platform().toString()).toList()), compressed,
        images.get(0).image().baseName(), images.get(0).image().baseDigest(), Optional.of(file), "OCI", 0, 0, manifests, attached);
  }
}
