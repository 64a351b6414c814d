package dev.msbuild.publish;

import dev.msbuild.attest.Attestor;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.Setting;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.registry.Registries;
import dev.msbuild.registry.RegistryErrors;
import dev.msbuild.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes one image under its tag and the extra tags, and reads every tag back. When the registry
 * already has this exact image under every tag, nothing is sent.
 */
public final class RegistryPublisher implements ImagePublisher {
  private final ImageName target;
  private final List<String> extraTags;
  private final Registries registries;
  private final RegistryAuth auth;
  private final BuildLog log;
  private final Attestor attestor;

  public RegistryPublisher(ImageName target, List<String> extraTags, Registries registries, RegistryAuth auth, Attestor attestor,
      BuildLog log) {
    this.attestor = attestor;
    this.target = target;
    this.extraTags = List.copyOf(extraTags);
    this.registries = registries;
    this.auth = auth;
    this.log = log;
  }

  static List<String> tags(ImageName target, List<String> extraTags) {
    List<String> tags = new ArrayList<>();
    if (target.tag() != null) {
      tags.add(target.tag());
    }
    extraTags.stream().filter(t -> !tags.contains(t)).forEach(tags::add);
    return tags;
  }

  @Override
  public void checkAccess() {
    RegistryPush.checkAccess(registries, target, auth, log);
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    Optional<RegistryCredential> credential = registries.login(target.registry(), auth);
    List<String> tags = tags(target, extraTags);
    Manifest.Image manifest = image.manifest();
    Digest digest = manifest.digest();
    RegistryPush push = new RegistryPush(registries.repository(target.registry(), target.repository(), credential), log);
    try {
      RegistryPush.Sent sent;
      boolean skipped = push.alreadyTagged(tags, digest);
      if (skipped) {
        log.info("Push skipped: " + target.registry() + " already has this image (" + digest + ") under "
            + String.join(", ", tags) + "; 0 bytes sent");
        sent = new RegistryPush.Sent(0, image.compressedSize());
      } else {
        sent = push.blobs(image);
        List<String> references = tags.isEmpty() ? List.of(digest.toString()) : tags;
        for (String reference : references) {
          push.manifest(reference, manifest);
        }
        for (String tag : tags) {
          push.verifyTag(tag, digest);
        }
        if (tags.isEmpty()) {
          push.verifyDigest(digest);
        }
        log.info("Read back " + target.registry() + "/" + target.repository() + ":" + String.join(",", references.stream()
            .map(r -> r.startsWith("sha256:") ? "@" + r : r).toList()) + ": " + digest);
      }
      List<PublishResult.AttachedDocument> attached = push.referrers().attach(attestor, target.toString(), image, manifest, skipped);
      return new PublishResult(target.registry() + "/" + target.repository() + "@" + digest, digest.toString(),
          image.imageId().toString(), tags, image.platform().toString(), image.compressedSize(), image.baseName(),
          image.baseDigest(), Optional.empty(), image.formatName(), sent.pushed(), sent.reused(), List.of(), attached);
    } catch (RegistryException e) {
      throw RegistryErrors.map(e, Setting.TO_IMAGE, target.toString(), auth, credential, registries.options());
    }
  }
}
