package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.JibLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pushes the image to a registry under its tag and the extra tags. */
public final class RegistryPublisher implements ImagePublisher {
  private final ImageName target;
  private final List<String> extraTags;
  private final boolean allowInsecure;
  private final Path cacheDirectory;
  private final String platform;
  private final BuildLog log;

  public RegistryPublisher(
      ImageName target, List<String> extraTags, boolean allowInsecure, Path cacheDirectory, String platform, BuildLog log) {
    this.target = target;
    this.extraTags = List.copyOf(extraTags);
    this.allowInsecure = allowInsecure;
    this.cacheDirectory = cacheDirectory;
    this.platform = platform;
    this.log = log;
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    ImageReference reference =
        ImageReference.of(target.registry(), target.repository(), target.tag(), target.digest());
    CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(reference, JibLog.to(log));
    RegistryImage registryImage =
        RegistryImage.named(reference)
            .addCredentialRetriever(credentials.dockerConfig())
            .addCredentialRetriever(credentials.wellKnownCredentialHelpers());
    Containerizer containerizer =
        JibContainerizing.configure(Containerizer.to(registryImage), cacheDirectory, log)
            .setAllowInsecureRegistries(allowInsecure);
    extraTags.forEach(containerizer::withAdditionalTag);
    JibContainer container = JibContainerizing.run(image, containerizer, target.toString());
    List<String> tags = new ArrayList<>();
    if (target.tag() != null) {
      tags.add(target.tag());
    }
    tags.addAll(extraTags);
    String digest = container.getDigest().toString();
    return new PublishResult(
        target.registry() + "/" + target.repository() + "@" + digest,
        digest,
        container.getImageId().toString(),
        tags,
        platform,
        image.staged().compressedSize(),
        image.staged().baseDigest(),
        Optional.empty());
  }
}
