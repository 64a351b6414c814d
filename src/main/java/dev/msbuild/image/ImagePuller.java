package dev.msbuild.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestListTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
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
    return pull(name, platform, setting, RegistryAuth.none(setting == Setting.FROM_IMAGE ? Setting.FROM_AUTH : setting));
  }

  /**
   * Pulls {@code name} for {@code platform}, logging in with {@code auth} or the credentials every
   * registry may use (see {@link RegistryCredentials}).
   */
  public PulledImage pull(ImageName name, Platform platform, Setting setting, RegistryAuth auth) {
    List<String> registries = new ArrayList<>(options.mirrorsOf(name.registry()));
    registries.add(name.registry());
    List<String> failures = new ArrayList<>();
    boolean notFound = false;
    boolean insecure = false;
    for (String registry : registries) {
      ImageName source = name.withRegistry(registry);
      boolean last = registry.equals(name.registry());
      Optional<RegistryCredential> credential = Optional.empty();
      try {
        credential = RegistryCredentials.find(registry, last ? auth : RegistryAuth.none(auth.authSetting()), options, log);
        return pullFrom(name, source, platform, credential);
      } catch (MsbuildException e) {
        throw e;
      } catch (RegistryCredentialsNotSentException e) {
        if (last) {
          throw RegistryCredentials.notSentOverHttp(registry, "pull " + source.repository(), credential, e);
        }
        failures.add(registry + ": credentials not sent over plain HTTP");
      } catch (InsecureRegistryException e) {
        insecure = true;
        failures.add(registry + ": " + describe(e));
      } catch (RegistryUnauthorizedException e) {
        if (last) {
          throw RegistryCredentials.refused(
              registry, "pull " + source.repository(), credential, auth, options, status(e) == 403, e);
        }
        log.debug("Mirror " + registry + " refused " + name + ": " + describe(e));
        failures.add(registry + ": refused");
      } catch (RegistryException | IOException | RuntimeException e) {
        String reason = describe(e);
        notFound |= isNotFound(reason);
        failures.add(registry + ": " + reason);
        if (!registry.equals(name.registry())) {
          log.debug("Mirror " + registry + " could not serve " + name + ": " + reason);
        }
      }
    }
    if (insecure && !notFound) {
      throw new MsbuildException(
          "Could not pull image " + name + ": a registry offers no verified HTTPS; registries tried:\n    "
              + String.join("\n    ", failures),
          Setting.ALLOW_INSECURE_REGISTRIES,
          "use a registry with a valid certificate, or set " + Setting.ALLOW_INSECURE_REGISTRIES
              + " to true for a registry you trust (a local or test registry).");
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

  /** 401 or 403: Jib reports both as unauthorized. */
  public static int status(RegistryUnauthorizedException e) {
    return e.getCause() instanceof com.google.cloud.tools.jib.http.ResponseException response ? response.getStatusCode() : 401;
  }

  private PulledImage pullFrom(ImageName requested, ImageName source, Platform platform, Optional<RegistryCredential> credential)
      throws IOException, RegistryException {
    RegistryClient client = RegistryClients.connect(source, credential, options, false, log);
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
            "Image " + requested + " has no " + platform + " image; it offers " + platformsOf(list) + ".",
            Setting.PLATFORMS,
            "build only platforms it offers (" + Setting.PLATFORMS + "), or use a base image that has " + platform + ".");
      }
      manifestDigest = withVariant(client, digests, platform);
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
          blobs.obtain(digest.toString(), out -> {
            PullProgress progress = new PullProgress(digest.toString(), layer.getSize(), log);
            client.pullBlob(digest, size -> {}, progress::add).writeTo(out);
            progress.done();
          });
      layers.add(new PulledImage.Layer(digest.toString(), layer.getSize(), layerMediaType(image), path));
    }
    return new PulledImage(
        requested, source, resolvedDigest, manifestDigest, platform, config.toByteArray(), layers);
  }

  /**
   * The entry for the platform's variant (arm/v6 and arm/v7 share os and architecture). Jib's
   * index templates drop the variant, so the candidates' configs, which carry it too, decide.
   */
  private String withVariant(RegistryClient client, List<String> digests, Platform platform)
      throws IOException, RegistryException {
    if (platform.variant() == null || digests.size() == 1) {
      return digests.get(0);
    }
    for (String digest : digests) {
      ManifestTemplate candidate = client.pullManifest(digest).getManifest();
      if (candidate instanceof BuildableManifestTemplate image) {
        ByteArrayOutputStream config = new ByteArrayOutputStream();
        client.pullBlob(image.getContainerConfiguration().getDigest(), size -> {}, size -> {}).writeTo(config);
        String variant = ImageConfig.JSON.readTree(config.toByteArray()).path("variant").asText("");
        if (variant.equals(platform.variant())) {
          return digest;
        }
      }
    }
    throw new MsbuildException(
        "The base image has " + digests.size() + " images for " + platform.os() + "/" + platform.architecture()
            + " but none says it is variant " + platform.variant() + ".",
        Setting.PLATFORMS,
        "use a base image whose index or configs name the variant, or build " + platform.os() + "/"
            + platform.architecture() + " without a variant.");
  }

  private static String layerMediaType(BuildableManifestTemplate image) {
    return image.getManifestMediaType().contains("oci")
        ? "application/vnd.oci.image.layer.v1.tar+gzip"
        : "application/vnd.docker.image.rootfs.diff.tar.gzip";
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
