package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.RegistryClients;
import dev.msbuild.image.RegistryCredentials;
import dev.msbuild.image.StagedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pushes the image to a registry under its tag and the extra tags. */
public final class RegistryPublisher implements ImagePublisher {
  /** Jib reads this JVM-wide switch; builds that need it take turns (see {@link #publish}). */
  private static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

  private final ImageName target;
  private final List<String> extraTags;
  private final RegistryOptions options;
  private final RegistryAuth auth;
  private final Path cacheDirectory;
  private final String platform;
  private final BuildLog log;
  private final Optional<Path> recordDirectory;

  public RegistryPublisher(
      ImageName target, List<String> extraTags, RegistryOptions options, RegistryAuth auth, Path cacheDirectory,
      String platform, BuildLog log) {
    this(target, extraTags, options, auth, cacheDirectory, platform, log, Optional.empty());
  }

  /**
   * @param recordDirectory where the last push is recorded, so an unchanged image that the
   *     registry still has is not pushed again; empty pushes every time
   */
  public RegistryPublisher(
      ImageName target, List<String> extraTags, RegistryOptions options, RegistryAuth auth, Path cacheDirectory,
      String platform, BuildLog log, Optional<Path> recordDirectory) {
    this.recordDirectory = recordDirectory;
    this.target = target;
    this.extraTags = List.copyOf(extraTags);
    this.options = options;
    this.auth = auth;
    this.cacheDirectory = cacheDirectory;
    this.platform = platform;
    this.log = log;
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    return publish(image, RegistryCredentials.find(target.registry(), auth, options, log));
  }

  /** Pushes with a login already looked up, as an index push does once for all its platforms. */
  PublishResult publish(AssembledImage image, Optional<RegistryCredential> credential) {
    List<String> tags = new ArrayList<>();
    if (target.tag() != null) {
      tags.add(target.tag());
    }
    tags.addAll(extraTags);
    String key = image.key() + " " + target + " " + tags;
    Optional<PublishResult> same = unchanged(image, credential, key, tags);
    if (same.isPresent()) {
      return same.get();
    }
    recordDirectory.ifPresent(PushRecord::forgetQuietly);
    PublishResult result = push(image, credential, tags);
    if (recordDirectory.isPresent()) {
      try {
        PushRecord.write(recordDirectory.get(), new PushRecord.Pushed(key, result.digest(), result.imageId()));
      } catch (java.io.IOException e) {
        log.debug("Could not record the push in " + recordDirectory.get() + ": " + e);
      }
    }
    return result;
  }

  /**
   * The last push again, when this image is the one it pushed and the registry still has it under
   * every tag: nothing to send, and the log says why.
   */
  private Optional<PublishResult> unchanged(
      AssembledImage image, Optional<RegistryCredential> credential, String key, List<String> tags) {
    Optional<PushRecord.Pushed> last = recordDirectory.flatMap(PushRecord::read).filter(p -> p.key().equals(key));
    if (last.isEmpty()) {
      return Optional.empty();
    }
    try {
      RegistryClient client = RegistryClients.connect(target, credential, options, false, BuildLog.NONE);
      if (!PushRecord.everyTagAt(client, tags, last.get().digest())) {
        log.info("The image is unchanged, but " + target.registry() + " no longer has it under every tag: pushing");
        return Optional.empty();
      }
    } catch (Exception e) {
      log.debug("Could not ask " + target.registry() + " for the tags' digests: " + e);
      return Optional.empty();
    }
    String digest = last.get().digest();
    long total = image.staged().compressedSize();
    log.info("Push skipped: the image is the one the last build pushed, and " + target.registry() + " still has it as "
        + digest + " under " + String.join(", ", tags) + "; 0 bytes sent");
    return Optional.of(new PublishResult(
        target.registry() + "/" + target.repository() + "@" + digest, digest, last.get().imageId(), tags, platform, total,
        image.staged().baseName(), image.staged().baseDigest(), Optional.empty(), format(image), 0, total, List.of()));
  }

  private static String format(AssembledImage image) {
    return image.jib().toContainerBuildPlan().getFormat().name().equals("OCI") ? "OCI" : "Docker";
  }

  private PublishResult push(AssembledImage image, Optional<RegistryCredential> credential, List<String> tags) {
    ImageReference reference =
        ImageReference.of(target.registry(), target.repository(), target.tag(), target.digest());
    RegistryImage registryImage = RegistryImage.named(reference);
    credential.ifPresent(c -> registryImage.addCredential(c.username(), c.password()));
    Containerizer containerizer =
        JibContainerizing.configure(Containerizer.to(registryImage), cacheDirectory, log)
            .setAllowInsecureRegistries(options.allowInsecure());
    extraTags.forEach(containerizer::withAdditionalTag);
    long present = presentBytes(image.staged(), credential);
    String action = "push " + target.repository();
    JibContainer container;
    JibContainerizing.Unauthorized refused = new JibContainerizing.Unauthorized() {
      @Override
      public dev.msbuild.config.MsbuildException map(com.google.cloud.tools.jib.api.RegistryUnauthorizedException e) {
        return RegistryCredentials.refused(target.registry(), action, credential, auth, options, ImagePuller.status(e) == 403, e);
      }

      @Override
      public dev.msbuild.config.MsbuildException notSent(
          com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException e) {
        return RegistryCredentials.notSentOverHttp(target.registry(), action, credential, e);
      }
    };
    if (options.sendCredentialsOverHttp()) {
      // Jib only takes this switch as a system property; set it for this push alone, and let
      // other pushes in this JVM (mvn -T) wait rather than inherit it.
      synchronized (RegistryPublisher.class) {
        String before = System.getProperty(SEND_CREDENTIALS_OVER_HTTP);
        System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
        try {
          container = JibContainerizing.run(image, containerizer, target.toString(), refused, log);
        } finally {
          if (before == null) {
            System.clearProperty(SEND_CREDENTIALS_OVER_HTTP);
          } else {
            System.setProperty(SEND_CREDENTIALS_OVER_HTTP, before);
          }
        }
      }
    } else {
      container = JibContainerizing.run(image, containerizer, target.toString(), refused, log);
    }
    String digest = container.getDigest().toString();
    long total = image.staged().compressedSize();
    return new PublishResult(
        target.registry() + "/" + target.repository() + "@" + digest,
        digest,
        container.getImageId().toString(),
        tags,
        platform,
        total,
        image.staged().baseName(),
        image.staged().baseDigest(),
        Optional.empty(),
        format(image),
        total - present,
        present,
        List.of());
  }

  /**
   * How many of the image's layer bytes the target repository already holds, asked before the
   * push; 0 when the registry cannot be asked (the push then reports its own errors).
   */
  private long presentBytes(StagedImage staged, Optional<RegistryCredential> credential) {
    try {
      RegistryClient client = RegistryClients.connect(target, credential, options, true, BuildLog.NONE);
      long present = 0;
      for (StagedImage.Blob blob : staged.layers()) {
        if (client.checkBlob(DescriptorDigest.fromDigest(blob.digest())).isPresent()) {
          present += blob.size();
        }
      }
      return present;
    } catch (Exception e) {
      log.debug("Could not ask " + target.registry() + " which layers it has: " + e);
      return 0;
    }
  }
}
