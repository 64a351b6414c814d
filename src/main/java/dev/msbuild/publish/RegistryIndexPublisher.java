package dev.msbuild.publish;

import dev.msbuild.attest.Attestor;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.Setting;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import dev.msbuild.registry.Registries;
import dev.msbuild.registry.RegistryErrors;
import dev.msbuild.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes each platform's image by its digest, then the index of them under the image's tags: an
 * OCI image index, or a Docker manifest list for {@code <format>Docker}; then reads the tags and
 * every entry back.
 */
public final class RegistryIndexPublisher implements IndexPublisher {
  private final ImageName target;
  private final List<String> extraTags;
  private final Registries registries;
  private final RegistryAuth auth;
  private final ImageFormat format;
  private final BuildLog log;
  private final Attestor attestor;

  public RegistryIndexPublisher(ImageName target, List<String> extraTags, Registries registries, RegistryAuth auth, ImageFormat format,
      Attestor attestor, BuildLog log) {
    this.attestor = attestor;
    this.target = target;
    this.extraTags = List.copyOf(extraTags);
    this.registries = registries;
    this.auth = auth;
    this.format = format;
    this.log = log;
  }

  @Override
  public void checkAccess() {
    RegistryPush.checkAccess(registries, target, auth, log);
  }

  @Override
  public PublishResult publish(List<PlatformImage> images) {
    Optional<RegistryCredential> credential = registries.login(target.registry(), auth);
    List<String> tags = RegistryPublisher.tags(target, extraTags);
    RegistryPush push = new RegistryPush(registries.repository(target.registry(), target.repository(), credential), log);
    List<Descriptor> entries = new ArrayList<>();
    List<Manifest.Image> manifests = new ArrayList<>();
    for (PlatformImage image : images) {
      Manifest.Image manifest = image.image().manifest();
      manifests.add(manifest);
      entries.add(manifest.descriptor().withPlatform(image.platform()));
    }
    Manifest.Index index = ManifestCodec.writeIndex(format == ImageFormat.OCI ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_LIST,
        entries, Map.of());
    long compressed = images.stream().mapToLong(i -> i.image().compressedSize()).sum();
    String kind = format == ImageFormat.OCI ? "OCI image index" : "Docker manifest list";
    try {
      RegistryPush.Sent sent = new RegistryPush.Sent(0, 0);
      boolean skipped = push.alreadyTagged(tags, index.digest());
      if (skipped) {
        log.info("Push skipped: " + target.registry() + " already has this " + kind + " (" + index.digest() + ") under "
            + String.join(", ", tags) + "; 0 bytes sent");
        sent = new RegistryPush.Sent(0, compressed);
      } else {
        for (int i = 0; i < images.size(); i++) {
          PlatformImage image = images.get(i);
          sent = sent.plus(push.blobs(image.image()));
          push.manifest(manifests.get(i).digest().toString(), manifests.get(i));
          log.info("Pushed " + image.platform() + " as " + target.registry() + "/" + target.repository() + "@"
              + manifests.get(i).digest());
        }
        List<String> references = tags.isEmpty() ? List.of(index.digest().toString()) : tags;
        for (String reference : references) {
          push.manifest(reference, index);
        }
        for (String tag : tags) {
          push.verifyTag(tag, index.digest());
        }
        for (Manifest.Image manifest : manifests) {
          push.verifyDigest(manifest.digest());
        }
        log.info("Pushed the " + kind + " of " + images.size() + " platforms as " + target.registry() + "/"
            + target.repository() + ":" + String.join(",", tags) + " (read back: " + index.digest() + ")");
      }
      // Each platform's image gets its own SBOM and provenance.
      List<PublishResult.AttachedDocument> attached = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        attached.addAll(push.referrers().attach(attestor, target.toString(), images.get(i).image(), manifests.get(i), skipped));
      }
      if (!skipped) {
        push.referrers().signIndex(attestor, index);
      }
      List<PublishResult.PlatformManifest> platformManifests = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        platformManifests.add(new PublishResult.PlatformManifest(images.get(i).platform().toString(),
            manifests.get(i).digest().toString(), manifests.get(i).bytes().length));
      }
      return new PublishResult(target.registry() + "/" + target.repository() + "@" + index.digest(), index.digest().toString(),
          index.digest().toString(), tags, String.join(",", images.stream().map(i -> i.platform().toString()).toList()),
          compressed, images.get(0).image().baseName(), images.get(0).image().baseDigest(), Optional.empty(),
          format == ImageFormat.OCI ? "OCI" : "Docker", sent.pushed(), sent.reused(), platformManifests, attached);
    } catch (RegistryException e) {
      throw RegistryErrors.map(e, Setting.TO_IMAGE, target.toString(), auth, credential, registries.options());
    }
  }
}
