package dev.msbuild.publish;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.Setting;
import dev.msbuild.registry.Registries;
import dev.msbuild.registry.RegistryErrors;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.ImageLayer;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.registry.RegistryException;
import dev.msbuild.registry.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends images to one repository: each blob checked, mounted from the repository it came from when
 * that is in the same registry, or uploaded, several at a time; then manifests; then each tag read
 * back, so success means the registry serves exactly what was built.
 */
final class RegistryPush {
  /** Blobs in flight at once: enough to overlap round trips, few enough for a small registry. */
  private static final int PARALLEL = 4;

  private final Repository repository;
  private final BuildLog log;

  RegistryPush(Repository repository, BuildLog log) {
    this.repository = repository;
    this.log = log;
  }

  /** Attaches documents to images in this repository. */
  Referrers referrers() {
    return new Referrers(repository, log);
  }

  /** Layer bytes sent, and those the registry had or mounted. */
  record Sent(long pushed, long reused) {
    Sent plus(Sent other) {
      return new Sent(pushed + other.pushed, reused + other.reused);
    }
  }

  /** Fails, before anything is built, when {@code target} cannot be pushed to with its login. */
  static void checkAccess(Registries registries, ImageName target, RegistryAuth auth, BuildLog log) {
    Optional<RegistryCredential> credential = registries.login(target.registry(), auth);
    try {
      registries.repository(target.registry(), target.repository(), credential).checkPush();
      log.info("Push access to " + target.registry() + "/" + target.repository() + " checked ("
          + credential.map(c -> c.username() + " from " + c.source()).orElse("anonymously") + ")");
    } catch (RegistryException e) {
      throw RegistryErrors.map(e, Setting.TO_IMAGE, target.toString(), auth, credential, registries.options());
    }
  }

  /** Whether every tag already names {@code digest}: then there is nothing to send. */
  boolean alreadyTagged(List<String> tags, Digest digest) {
    for (String tag : tags) {
      if (!repository.tagDigest(tag).equals(Optional.of(digest))) {
        return false;
      }
    }
    return !tags.isEmpty();
  }

  /** The image's config and layers, so that its manifest can be pushed. */
  Sent blobs(AssembledImage image) {
    AtomicLong pushed = new AtomicLong();
    AtomicLong reused = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, image.layers().size() + 1), r -> {
      Thread t = new Thread(r, "msbuild-push");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<Void>> work = new ArrayList<>();
      for (ImageLayer layer : image.layers()) {
        work.add(CompletableFuture.runAsync(() -> {
          Optional<String> from = layer.mountFrom()
              .filter(s -> s.registry().equals(repository.registry()) && !s.repository().equals(repository.name()))
              .map(ImageLayer.Source::repository);
          long start = System.nanoTime();
          Repository.BlobOutcome outcome = repository.pushBlob(layer.descriptor(), layer.file(), null, from,
              new PushProgress(layer.digest(), layer.size(), log));
          account(outcome, layer.size(), pushed, reused);
          switch (outcome) {
            case UPLOADED -> log.info(String.format("Pushed layer %s (%s, 100%%) in %.1f s", layer.digest().shortForm(),
                megabytes(layer.size()), (System.nanoTime() - start) / 1e9));
            case MOUNTED -> log.info("Mounted layer " + layer.digest().shortForm() + " (" + megabytes(layer.size()) + ") from "
                + from.get() + ": nothing sent");
            case PRESENT -> log.debug("Layer " + layer.digest().shortForm() + " is in " + repository.name() + " already");
          }
        }, pool));
      }
      Descriptor config = image.configDescriptor();
      work.add(CompletableFuture.runAsync(() -> repository.pushBlob(config, null, image.config(), Optional.empty()), pool));
      join(work);
    } finally {
      pool.shutdownNow();
    }
    return new Sent(pushed.get(), reused.get());
  }

  private static void account(Repository.BlobOutcome outcome, long size, AtomicLong pushed, AtomicLong reused) {
    (outcome == Repository.BlobOutcome.UPLOADED ? pushed : reused).addAndGet(size);
  }

  /**
   * Writes {@code manifest} under {@code reference}. When every try of the PUT failed, the registry
   * may still have taken it (a reply lost after the write): the read-back decides.
   */
  void manifest(String reference, Manifest manifest) {
    try {
      repository.putManifest(reference, manifest);
    } catch (RegistryException e) {
      if (e.kind() != RegistryException.Kind.UNAVAILABLE || !serves(reference, manifest.digest())) {
        throw e;
      }
      log.warn("Registry " + repository.registry() + " failed every try to push " + reference + " (" + e.detail()
          + "), yet it serves " + reference + " as " + manifest.digest() + ": the push took effect");
    }
  }

  private boolean serves(String reference, Digest digest) {
    try {
      return Digest.isDigest(reference)
          ? repository.manifest(reference, Optional.of(digest)) != null
          : repository.tagDigest(reference).equals(Optional.of(digest));
    } catch (RegistryException e) {
      return false;
    }
  }

  /** Reads {@code tag} back and fails unless it is exactly {@code digest}. */
  void verifyTag(String tag, Digest digest) {
    Optional<Digest> served = repository.tagDigest(tag);
    if (!served.equals(Optional.of(digest))) {
      throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, repository.registry(),
          "read back " + repository.name() + ":" + tag, 200,
          served.map(d -> "it serves " + d + " under " + tag + ", not the " + digest + " just pushed (another push to the same tag?)")
              .orElse("it has no " + tag + " after accepting the push"));
    }
  }

  /** Reads a manifest back by its digest (an index's entries): it must be there, byte for byte. */
  void verifyDigest(Digest digest) {
    repository.manifest(digest.toString(), Optional.of(digest));
  }

  private static void join(List<CompletableFuture<Void>> work) {
    try {
      CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  static String megabytes(long bytes) {
    return String.format("%.2f MB", bytes / 1e6);
  }
}
