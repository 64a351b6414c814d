package dev.msbuild.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.Setting;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.registry.Registries;
import dev.msbuild.registry.RegistryErrors;
import dev.msbuild.registry.RegistryException;
import dev.msbuild.registry.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pulls one platform of an image: mirrors first, then the registry itself. A tag is resolved to a
 * digest (logged), an index to the platform's manifest; every manifest, config and layer is
 * checked against the digest that named it, and the config's platform against the one asked
 * for, whatever shape the image has. Only verified blobs reach the blob store.
 */
public final class ImagePuller {
  private final Registries registries;
  private final BlobStore blobs;
  private final ResolvedImages resolved;
  private final BuildLog log;

  public ImagePuller(Registries registries, BlobStore blobs, BuildLog log) {
    this.registries = registries;
    this.blobs = blobs;
    this.resolved = new ResolvedImages(blobs, blobs.directory().resolveSibling("tags"));
    this.log = log;
  }

  /**
   * Pulls {@code name} for {@code platform}, anonymously or with the credentials every registry
   * may use.
   *
   * @param setting the setting that named the image, for error messages
   */
  public PulledImage pull(ImageName name, Platform platform, Setting setting) {
    return pull(name, platform, setting, RegistryAuth.none(setting == Setting.FROM_IMAGE ? Setting.FROM_AUTH : setting));
  }

  /** Pulls {@code name} for {@code platform}, logging in with {@code auth} where the registry asks. */
  public PulledImage pull(ImageName name, Platform platform, Setting setting, RegistryAuth auth) {
    return fetch(name, platform, setting, auth, true);
  }

  /**
   * {@code name} for {@code platform} without its layers: manifests and config (kept in the cache),
   * what a Dockerfile stage's keys and config need before its files are.
   */
  public PulledImage describe(ImageName name, Platform platform, Setting setting, RegistryAuth auth) {
    return fetch(name, platform, setting, auth, false);
  }

  /**
   * The digest of the image manifest {@code name} names for {@code platform}, asked of its registry
   * (its manifests and config are kept in the cache, its layers are not downloaded): what a stage's
   * key needs before deciding whether the image itself is needed.
   */
  public String resolveManifestDigest(ImageName name, Platform platform, Setting setting) {
    if (name.digest() != null || registries.options().offline()) {
      Optional<LastResolved> known = lastResolved(name, platform, setting);
      if (known.isPresent()) {
        return known.get().manifestDigest();
      }
    }
    return fetch(name, platform, setting, RegistryAuth.none(setting), false).manifestDigest();
  }

  private PulledImage fetch(ImageName name, Platform platform, Setting setting, RegistryAuth auth, boolean withLayers) {
    if (registries.options().offline()) {
      return fromCache(name, platform, setting, Optional.empty()).orElseThrow(() -> notCached(name, platform, setting));
    }
    if (name.digest() != null) {
      // What a digest names never changes, and the cache holds only what was verified: no request.
      Optional<PulledImage> cached = fromCache(name, platform, setting, Optional.empty());
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    List<String> sources = new ArrayList<>(registries.options().mirrorsOf(name.registry()));
    sources.add(name.registry());
    List<String> failures = new ArrayList<>();
    RegistryException last = null;
    boolean notFound = false;
    Optional<RegistryCredential> lastCredential = Optional.empty();
    for (String registry : sources) {
      boolean origin = registry.equals(name.registry());
      ImageName source = name.withRegistry(registry);
      // A mirror gets the logins every registry may use, never the pom's <auth> of the origin.
      RegistryAuth login = origin ? auth : RegistryAuth.none(auth.authSetting());
      Optional<RegistryCredential> credential = registries.login(registry, login);
      try {
        return pullFrom(registries.repository(registry, source.repository(), credential), name, platform, setting, withLayers);
      } catch (RegistryException e) {
        if (fatal(e) || sources.size() == 1) {
          throw RegistryErrors.map(e, setting, name.toString(), login, credential, registries.options());
        }
        last = e;
        notFound |= e.kind() == RegistryException.Kind.NOT_FOUND;
        lastCredential = credential;
        failures.add(registry + ": " + e.detail() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
        if (!origin) {
          log.warn("Mirror " + registry + " could not serve " + name + ": " + e.detail() + "; trying "
              + sources.get(sources.indexOf(registry) + 1));
        }
      }
    }
    if (last.kind() == RegistryException.Kind.UNAUTHORIZED || last.kind() == RegistryException.Kind.FORBIDDEN
        || last.kind() == RegistryException.Kind.CREDENTIALS_WITHHELD || last.kind() == RegistryException.Kind.NO_VERIFIED_TLS) {
      throw RegistryErrors.map(last, setting, name.toString(), auth, lastCredential, registries.options());
    }
    throw new MsbuildException(
        (notFound ? "Image " + name + " was not found" : "Could not pull image " + name) + " for " + platform
            + "; registries tried:\n    " + String.join("\n    ", failures),
        setting,
        notFound
            ? "check the image name and tag (does " + name.repository() + ":" + name.qualifier()
                + " exist in that registry?), then set " + setting + " to an image that exists."
            : "check that the registries are reachable and that you may pull from them; a mirror is set with "
                + Setting.REGISTRY_MIRRORS + ".");
  }

  /** Failures that say a registry must not be trusted: never papered over by trying another. */
  private static boolean fatal(RegistryException e) {
    return e.kind() == RegistryException.Kind.DIGEST_MISMATCH || e.kind() == RegistryException.Kind.TOO_LARGE;
  }

  /**
   * The image manifest {@code name} last resolved to for {@code platform} on this machine, found in
   * the cache without asking any registry: what a stage's inputs are compared with before deciding
   * whether the image is needed at all. Empty when it was never resolved (or its manifests are gone).
   */
  public Optional<LastResolved> lastResolved(ImageName name, Platform platform, Setting setting) {
    Optional<ResolvedImages.Resolution> tag = name.digest() == null ? resolved.tag(name) : Optional.empty();
    if (name.digest() == null && tag.isEmpty()) {
      return Optional.empty();
    }
    Digest top = name.digest() != null ? Digest.parse(name.digest()) : tag.get().digest();
    try {
      return resolved.bytes(top).flatMap(ImagePuller::parse).flatMap(m -> cachedImage(m, name, platform, setting))
          .map(image -> new LastResolved(image.digest().toString(), tag.map(ResolvedImages::describe).orElse(top.toString())));
    } catch (MsbuildException e) {
      return Optional.empty(); // the cached index has no entry for this platform: the registry is asked
    }
  }

  /**
   * @param manifestDigest the platform's image manifest
   * @param described the digest the tag named and when it was last confirmed, for the log
   */
  public record LastResolved(String manifestDigest, String described) {}

  private PulledImage pullFrom(Repository repository, ImageName requested, Platform platform, Setting setting, boolean withLayers) {
    ImageName source = requested.withRegistry(repository.registry());
    Optional<ResolvedImages.Resolution> last = requested.digest() == null ? resolved.tag(requested) : Optional.empty();
    if (last.isPresent()) {
      // One HEAD: when the tag still names what it named last time, everything else is in the cache.
      Optional<Digest> now = repository.headDigest(source.qualifier());
      if (now.equals(Optional.of(last.get().digest()))) {
        resolved.confirmed(requested, last.get().digest());
        // The registry that answered now is where the image is (mounts come from there), whatever
        // mirror served it when it was cached.
        Optional<PulledImage> cached = fromCache(requested, platform, setting, Optional.of(source));
        if (cached.isPresent()) {
          return cached.get();
        }
      }
    }
    Manifest top = repository.manifest(source.qualifier(), Optional.empty());
    Manifest.Image image;
    boolean fromIndex = top instanceof Manifest.Index;
    if (top instanceof Manifest.Index index) {
      Descriptor entry = PlatformChoice.pick(index, platform, requested, setting, candidate -> platformOf(repository, candidate));
      Manifest child = repository.manifest(entry.digest().toString(), Optional.of(entry.digest()));
      if (!(child instanceof Manifest.Image childImage)) {
        throw new MsbuildException("Image " + requested + " lists, for " + platform + ", another index (" + entry.digest()
            + ") instead of an image manifest.", setting, "use an image whose index lists image manifests.");
      }
      image = childImage;
    } else {
      image = (Manifest.Image) top;
    }
    byte[] config = repository.blobBytes(image.config());
    PlatformChoice.checkConfig(config, platform, requested, setting, fromIndex, image.digest());
    try {
      resolved.remember(requested, source, top, image, config);
    } catch (IOException e) {
      log.warn("Could not keep the manifests of " + requested + " in the cache (" + e.getMessage() + "); offline builds will not find them");
    }
    if (!withLayers) {
      log.info("Resolved " + requested + " -> " + repository.registry() + "/" + repository.name() + "@" + top.digest()
          + (fromIndex ? " (" + platform + ": " + image.digest() + ")" : "") + "; its layers are pulled only if needed");
      return new PulledImage(requested, source, top.digest().toString(), image.digest().toString(), platform, config, List.of(),
          image.mediaType());
    }
    long cached = image.layers().stream().filter(l -> resolved.hasBlob(l.digest())).count();
    // "Checked" when every layer is here already: only manifests were asked for.
    log.info((cached == image.layers().size() ? "Checked " : "Pulled ") + requested + " -> " + repository.registry() + "/"
        + repository.name() + "@" + top.digest() + (fromIndex ? " (" + platform + ": " + image.digest() + ")" : "")
        + (cached == image.layers().size() ? ", its layers in the cache" : cached > 0 ? ", " + cached + " of "
            + image.layers().size() + " layers in the cache" : ""));

    List<PulledImage.Layer> layers = new ArrayList<>();
    for (Descriptor layer : image.layers()) {
      Path path;
      try {
        path = blobs.obtain(layer.digest(), temp -> {
          PullProgress progress = new PullProgress(layer.digest().toString(), layer.size(), log);
          repository.blobToFile(layer, temp, progress::add);
          progress.done();
        });
      } catch (IOException e) {
        throw new MsbuildException("Could not store a layer of " + requested + " in the cache: " + e.getMessage(),
            Setting.CACHE_DIRECTORY, "check that the cache directory is writable and has room.", e);
      }
      layers.add(new PulledImage.Layer(layer.digest().toString(), layer.size(), layer.mediaType(), path));
    }
    return new PulledImage(requested, source, top.digest().toString(), image.digest().toString(), platform, config, layers,
        image.mediaType());
  }

  /**
   * The image from the cache alone: by its digest, or by the digest its tag last resolved to.
   * Empty when anything it needs is missing.
   */
  private Optional<PulledImage> fromCache(ImageName name, Platform platform, Setting setting, Optional<ImageName> seenAt) {
    Optional<ResolvedImages.Resolution> tag = Optional.empty();
    Digest topDigest;
    if (name.digest() != null) {
      topDigest = Digest.parse(name.digest());
    } else {
      tag = resolved.tag(name);
      if (tag.isEmpty()) {
        return Optional.empty();
      }
      topDigest = tag.get().digest();
    }
    Optional<Manifest> top = resolved.bytes(topDigest).flatMap(ImagePuller::parse);
    Optional<Manifest.Image> platformImage = top.flatMap(m -> cachedImage(m, name, platform, setting));
    if (platformImage.isEmpty()) {
      return Optional.empty();
    }
    Manifest.Image image = platformImage.get();
    Optional<byte[]> config = resolved.bytes(image.config().digest());
    if (config.isEmpty() || !image.layers().stream().allMatch(l -> resolved.hasBlob(l.digest()))) {
      return Optional.empty();
    }
    PlatformChoice.checkConfig(config.get(), platform, name, setting, top.get() instanceof Manifest.Index, image.digest());
    ImageName source = seenAt.isPresent() ? seenAt.get() : resolved.source(name, topDigest);
    String how = registries.options().offline() ? "Offline: " : name.digest() != null ? "Pinned: " : "Checked ";
    log.info(how + name + " -> " + (how.equals("Checked ") ? source.registry() + "/" + source.repository() + "@" + topDigest
        + ", the tag unchanged" : tag.map(ResolvedImages::describe).orElse(topDigest.toString()))
        + (top.get() instanceof Manifest.Index ? " (" + platform + ": " + image.digest() + ")" : "")
        + (how.equals("Checked ") ? "; manifests, config and layers from the cache" : ", from the cache; no registry asked"));
    List<PulledImage.Layer> layers = image.layers().stream()
        .map(l -> new PulledImage.Layer(l.digest().toString(), l.size(), l.mediaType(), blobs.pathOf(l.digest()))).toList();
    return Optional.of(new PulledImage(name, source, topDigest.toString(), image.digest().toString(), platform, config.get(),
        layers, image.mediaType()));
  }

  /**
   * {@code top} itself, or for an index the image manifest of {@code platform} in the cache; empty
   * when that manifest is not there. An index with no entry for the platform fails, naming {@code setting}.
   */
  private Optional<Manifest.Image> cachedImage(Manifest top, ImageName name, Platform platform, Setting setting) {
    if (top instanceof Manifest.Index index) {
      Descriptor entry = PlatformChoice.pick(index, platform, name, setting, c -> cachedPlatform(c.digest()));
      return resolved.bytes(entry.digest()).flatMap(ImagePuller::parse)
          .filter(Manifest.Image.class::isInstance).map(Manifest.Image.class::cast);
    }
    return Optional.of((Manifest.Image) top);
  }

  private MsbuildException notCached(ImageName name, Platform platform, Setting setting) {
    String why = name.digest() == null && resolved.tag(name).isEmpty()
        ? "its tag was never resolved on this machine"
        : "some of its manifests or layers for " + platform + " are missing";
    return new MsbuildException(
        "Maven is offline (-o), and image " + name + " is not in the cache: " + why + ".",
        setting,
        "run the build once without -o so that the image is pulled into the cache (" + Setting.CACHE_DIRECTORY
            + "), or set " + setting + " to an image this machine has pulled.");
  }

  private Optional<Platform> cachedPlatform(Digest manifest) {
    Optional<Manifest> m = resolved.bytes(manifest).flatMap(ImagePuller::parse);
    if (m.isEmpty() || !(m.get() instanceof Manifest.Image image)) {
      return Optional.empty();
    }
    return resolved.bytes(image.config().digest()).flatMap(ImagePuller::configPlatform);
  }

  private static Optional<Manifest> parse(byte[] bytes) {
    try {
      return Optional.of(ManifestCodec.parse(bytes, null));
    } catch (ManifestCodec.InvalidManifestException e) {
      return Optional.empty();
    }
  }

  private static Optional<Platform> configPlatform(byte[] bytes) {
    try {
      JsonNode config = ManifestCodec.JSON.readTree(bytes);
      String variant = config.path("variant").asText("");
      return Optional.of(new Platform(config.path("os").asText(""), config.path("architecture").asText(""),
          variant.isEmpty() ? null : variant));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The platform an index entry's config says, for indexes whose entries do not name the variant. */
  private static Optional<Platform> platformOf(Repository repository, Descriptor entry) {
    Manifest candidate = repository.manifest(entry.digest().toString(), Optional.of(entry.digest()));
    if (!(candidate instanceof Manifest.Image image)) {
      return Optional.empty();
    }
    return configPlatform(repository.blobBytes(image.config()));
  }
}
