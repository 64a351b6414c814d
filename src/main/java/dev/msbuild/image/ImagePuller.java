package dev.msbuild.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestListTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pulls one platform of an image with Jib's registry client: mirrors first, then the registry
 * itself; a tag is resolved to a digest (logged), an index to the platform's manifest, and the
 * config and layers land in the blob store (digests checked by the client).
 */
public final class ImagePuller {
  private final RegistryOptions options;
  private final BlobStore blobs;
  private final BuildLog log;

  public ImagePuller(RegistryOptions options, BlobStore blobs, BuildLog log) {
    this.options = options;
    this.blobs = blobs;
    this.log = log;
  }

  /**
   * Pulls {@code name} for {@code platform}.
   *
   * @param setting the setting that named the image, for error messages
   */
  public PulledImage pull(ImageName name, Platform platform, Setting setting) {
    List<String> registries = new ArrayList<>(options.mirrorsOf(name.registry()));
    registries.add(name.registry());
    List<String> failures = new ArrayList<>();
    boolean notFound = false;
    for (String registry : registries) {
      ImageName source = name.withRegistry(registry);
      try {
        return pullFrom(name, source, platform);
      } catch (MsbuildException e) {
        throw e;
      } catch (RegistryException | IOException | RuntimeException e) {
        String reason = describe(e);
        notFound |= isNotFound(reason);
        failures.add(registry + ": " + reason);
        if (!registry.equals(name.registry())) {
          log.debug("Mirror " + registry + " could not serve " + name + ": " + reason);
        }
      }
    }
    String problem =
        (notFound ? "Image " + name + " was not found" : "Could not pull image " + name)
            + " for " + platform + "; registries tried:\n    " + String.join("\n    ", failures);
    String fix =
        notFound
            ? "check the image name and tag (does " + name.repository() + ":" + name.qualifier()
                + " exist in that registry?), then set " + setting + " to an image that exists."
            : "check that the registry is reachable and that you may pull from it; for a plain-HTTP "
                + "registry set " + Setting.ALLOW_INSECURE_REGISTRIES + " to true; a mirror is set with "
                + Setting.REGISTRY_MIRRORS + ".";
    throw new MsbuildException(problem, setting, fix);
  }

  private PulledImage pullFrom(ImageName requested, ImageName source, Platform platform)
      throws IOException, RegistryException {
    RegistryClient client = connect(source);
    ManifestAndDigest<ManifestTemplate> top = client.pullManifest(source.qualifier());
    String resolvedDigest = top.getDigest().toString();
    if (source.digest() != null && !source.digest().equals(resolvedDigest)) {
      throw new MsbuildException(
          "Registry " + source.registry() + " answered " + requested + " with content of digest "
              + resolvedDigest + ".",
          null,
          "the registry or a mirror serves different content for that digest; check the mirror.");
    }
    ManifestTemplate manifest = top.getManifest();
    String manifestDigest = resolvedDigest;
    if (manifest instanceof ManifestListTemplate list) {
      List<String> digests = list.getDigestsForPlatform(platform.architecture(), platform.os());
      if (digests.isEmpty()) {
        throw new MsbuildException(
            "Image " + requested + " has no " + platform + " variant; it offers " + platformsOf(list) + ".",
            null,
            "pick one of the platforms it offers or an image that has " + platform + ".");
      }
      manifestDigest = digests.get(0);
      manifest = client.pullManifest(manifestDigest).getManifest();
    }
    if (!(manifest instanceof BuildableManifestTemplate image)) {
      throw new MsbuildException(
          "Image " + requested + " uses a manifest format this plugin cannot read ("
              + manifest.getClass().getSimpleName() + ").",
          null,
          "use an image published with the Docker v2.2 or OCI manifest format.");
    }
    log.info(
        "Pulled " + requested + " -> " + source.registry() + "/" + source.repository() + "@" + resolvedDigest
            + (manifestDigest.equals(resolvedDigest) ? "" : " (" + platform + ": " + manifestDigest + ")"));

    DescriptorDigest configDigest = image.getContainerConfiguration().getDigest();
    ByteArrayOutputStream config = new ByteArrayOutputStream();
    client.pullBlob(configDigest, size -> {}, size -> {}).writeTo(config);

    List<PulledImage.Layer> layers = new ArrayList<>();
    for (BuildableManifestTemplate.ContentDescriptorTemplate layer : image.getLayers()) {
      DescriptorDigest digest = layer.getDigest();
      var path =
          blobs.obtain(digest.toString(), out -> client.pullBlob(digest, size -> {}, size -> {}).writeTo(out));
      layers.add(new PulledImage.Layer(digest.toString(), layer.getSize(), layerMediaType(image), path));
    }
    return new PulledImage(
        requested, source, resolvedDigest, manifestDigest, platform, config.toByteArray(), layers);
  }

  private static String layerMediaType(BuildableManifestTemplate image) {
    return image.getManifestMediaType().contains("oci")
        ? "application/vnd.oci.image.layer.v1.tar+gzip"
        : "application/vnd.docker.image.rootfs.diff.tar.gzip";
  }

  /** A client for pulling, authenticated with Docker config credentials when there are some. */
  private RegistryClient connect(ImageName source) throws IOException, RegistryException {
    FailoverHttpClient http = new FailoverHttpClient(options.allowInsecure(), false, JibLog.to(log));
    RegistryClient.Factory factory =
        RegistryClient.factory(EventHandlers.NONE, source.registry(), source.repository(), http);
    Optional<Credential> credential = dockerConfigCredential(source);
    credential.ifPresent(factory::setCredential);
    RegistryClient client = factory.newRegistryClient();
    try {
      if (!client.doPullBearerAuth() && credential.isPresent()) {
        client.configureBasicAuth();
      }
    } catch (RegistryUnauthorizedException e) {
      throw new MsbuildException(
          "Registry " + source.registry() + " refused access to " + source.repository() + ".",
          null,
          "log in to it (docker login writes the credentials this plugin reads from ~/.docker/config.json).",
          e);
    }
    return client;
  }

  private Optional<Credential> dockerConfigCredential(ImageName source) {
    try {
      ImageReference reference =
          ImageReference.of(source.registry(), source.repository(), source.tag(), source.digest());
      return CredentialRetrieverFactory.forImage(reference, JibLog.to(log)).dockerConfig().retrieve();
    } catch (CredentialRetrievalException e) {
      log.debug("No Docker config credentials for " + source.registry() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String platformsOf(ManifestListTemplate list) {
    List<String> platforms = new ArrayList<>();
    if (list instanceof OciIndexTemplate index) {
      index.getManifests().forEach(m -> platforms.add(platformText(m.getPlatform() == null ? null : m.getPlatform().getOs(), m.getPlatform() == null ? null : m.getPlatform().getArchitecture())));
    } else if (list instanceof V22ManifestListTemplate manifestList) {
      manifestList.getManifests().forEach(m -> platforms.add(platformText(m.getPlatform() == null ? null : m.getPlatform().getOs(), m.getPlatform() == null ? null : m.getPlatform().getArchitecture())));
    }
    return platforms.isEmpty() ? "no platforms" : String.join(", ", platforms);
  }

  private static String platformText(String os, String arch) {
    return (os == null ? "?" : os) + "/" + (arch == null ? "?" : arch);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e.getCause();
    if ((message == null || message.isBlank()) && cause != null) {
      message = cause.getMessage();
    }
    if (cause instanceof java.net.ConnectException || e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (cause instanceof java.net.UnknownHostException || e instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  private static boolean isNotFound(String reason) {
    String lower = reason.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("manifest unknown") || lower.contains("manifest_unknown")
        || lower.contains("not found") || lower.contains("name unknown") || lower.contains("name_unknown");
  }
}
