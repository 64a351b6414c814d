package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.hash.Digests;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.RegistryClients;
import dev.msbuild.image.PlatformIndex;
import dev.msbuild.image.RegistryCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushes each platform's image under a tag that names its platform ({@code 1.0-linux-arm64}),
 * then the index of them under the image's tags: an OCI image index, or a Docker manifest list
 * for {@code <format>Docker}.
 */
public final class RegistryIndexPublisher implements IndexPublisher {
  private final ImageName target;
  private final List<String> extraTags;
  private final RegistryOptions options;
  private final RegistryAuth auth;
  private final ImageFormat format;
  private final Path cacheDirectory;
  private final BuildLog log;

  public RegistryIndexPublisher(
      ImageName target, List<String> extraTags, RegistryOptions options, RegistryAuth auth, ImageFormat format,
      Path cacheDirectory, BuildLog log) {
    this.target = target;
    this.extraTags = List.copyOf(extraTags);
    this.options = options;
    this.auth = auth;
    this.format = format;
    this.cacheDirectory = cacheDirectory;
    this.log = log;
  }

  /** The tag a platform's own manifest is pushed under, so that it is not an untagged orphan. */
  static String platformTag(String tag, dev.msbuild.config.Platform platform) {
    String base = tag == null ? "msbuild" : tag;
    String full = base + "-" + platform.directoryName();
    return full.length() <= 128 ? full : full.substring(full.length() - 128);
  }

  @Override
  public PublishResult publish(List<PlatformImage> images) {
    List<PlatformIndex.Entry> entries = new ArrayList<>();
    List<PublishResult.PlatformManifest> manifests = new ArrayList<>();
    long pushed = 0;
    long reused = 0;
    long compressed = 0;
    // One lookup for every push of this build: a credential helper runs once, the log says it once.
    Optional<RegistryCredential> credential = RegistryCredentials.find(target.registry(), auth, options, log);
    for (PlatformImage image : images) {
      ImageName platformTarget = target.withTag(platformTag(target.tag(), image.platform()));
      PublishResult one =
          new RegistryPublisher(platformTarget, List.of(), options, auth, cacheDirectory, image.platform().toString(), log)
              .publish(image.image(), credential);
      pushed += one.pushedBytes();
      reused += one.reusedBytes();
      compressed += one.compressedSize();
      entries.add(new PlatformIndex.Entry(image.platform(), manifestMediaType(), one.digest(), 0));
      manifests.add(new PublishResult.PlatformManifest(image.platform().toString(), one.digest(), 0));
      log.info("Pushed " + image.platform() + " as " + platformTarget + " (" + one.digest() + ")");
    }
    String action = "push " + target.repository();
    try {
      RegistryClient client = RegistryClients.connect(target, credential, options, true, BuildLog.NONE);
      List<PlatformIndex.Entry> sized = new ArrayList<>();
      List<PublishResult.PlatformManifest> sizedManifests = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        PlatformIndex.Entry entry = entries.get(i);
        ManifestTemplate manifest = client.pullManifest(entry.digest()).getManifest();
        BlobDescriptor descriptor = Digests.computeDigest(manifest);
        if (!descriptor.getDigest().toString().equals(entry.digest())) {
          throw new IllegalStateException("the registry serves " + entry.digest() + " as other bytes");
        }
        sized.add(new PlatformIndex.Entry(entry.platform(), entry.mediaType(), entry.digest(), descriptor.getSize()));
        sizedManifests.add(new PublishResult.PlatformManifest(manifests.get(i).platform(), entry.digest(), descriptor.getSize()));
      }
      PlatformIndex index = PlatformIndex.of(format == ImageFormat.OCI, sized);
      List<String> tags = new ArrayList<>();
      if (target.tag() != null) {
        tags.add(target.tag());
      }
      tags.addAll(extraTags);
      for (String tag : tags) {
        client.pushManifest(index.template(), tag);
      }
      log.info("Pushed the " + (format == ImageFormat.OCI ? "OCI image index" : "Docker manifest list") + " of "
          + images.size() + " platforms as " + target.registry() + "/" + target.repository() + ":" + String.join(",", tags));
      return new PublishResult(
          target.registry() + "/" + target.repository() + "@" + index.digest(),
          index.digest(),
          index.digest(),
          tags,
          String.join(",", images.stream().map(i -> i.platform().toString()).toList()),
          compressed,
          images.get(0).image().staged().baseName(),
          images.get(0).image().staged().baseDigest(),
          Optional.empty(),
          format == ImageFormat.OCI ? "OCI" : "Docker",
          pushed,
          reused,
          sizedManifests);
    } catch (RegistryUnauthorizedException e) {
      throw RegistryCredentials.refused(target.registry(), action, credential, auth, options, ImagePuller.status(e) == 403, e);
    } catch (IOException | RegistryException e) {
      throw new MsbuildException(
          "Could not push the index of " + target + ": " + e.getMessage(),
          Setting.TO_IMAGE,
          "check that the registry in " + Setting.TO_IMAGE + " accepts image indexes and pushes.",
          e);
    }
  }

  private String manifestMediaType() {
    return format == ImageFormat.OCI
        ? "application/vnd.oci.image.manifest.v1+json"
        : "application/vnd.docker.distribution.manifest.v2+json";
  }
}
