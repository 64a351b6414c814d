package dev.msbuild.cache;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.CacheSpec;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import dev.msbuild.registry.RegistryException;
import dev.msbuild.registry.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The registry repository that backs the caches ({@code <cache><registry>}): each entry is an OCI
 * artifact tagged by its key, its files in gzipped tar layers that are checked against their
 * digests like any blob. The cache only ever speeds a build up: the first thing that goes wrong
 * (the registry down, 5xx past the retries, a refused login, an entry that does not unpack) is
 * logged once as a warning, and the build goes on without the registry.
 */
public final class CacheRegistry {
  /** What a stage cache entry is, as its manifest's artifactType. */
  static final String STAGE_ENTRY = "application/vnd.dev.msbuild.cache.stage.v1";
  /** A Go cache directory in chunks, as its manifest's artifactType. */
  static final String DIRECTORY = "application/vnd.dev.msbuild.cache.directory.v1";
  /** The config of a directory's manifest: which files each chunk holds. */
  static final String DIRECTORY_FILES = "application/vnd.dev.msbuild.cache.files.v1+json";
  static final String KEY_ANNOTATION = "dev.msbuild.cache.key";

  private final Supplier<Repository> connect;
  private final CacheSpec spec;
  private final BuildLog log;
  private final Path scratch;
  private volatile Repository repository;
  private final AtomicBoolean broken = new AtomicBoolean();
  private final AtomicLong downloaded = new AtomicLong();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();

  /**
   * @param connect the repository, logged in as {@code <cache>} says; called once, when first needed
   * @param scratch where downloads and archives are made before they are trusted (the local cache's own directory)
   */
  public CacheRegistry(CacheSpec spec, Supplier<Repository> connect, Path scratch, BuildLog log) {
    this.spec = spec;
    this.connect = connect;
    this.scratch = scratch;
    this.log = log;
  }

  /**
   * The log for the cache registry's client: its retries are info, not warnings, since a failure of
   * the registry cache ends in one warning of its own ({@link #attempt}) and never fails the build.
   */
  public static BuildLog clientLog(BuildLog log) {
    return new BuildLog() {
      @Override
      public void info(String message) {
        log.info(message);
      }

      @Override
      public void warn(String message) {
        log.info(message);
      }

      @Override
      public void debug(String message) {
        log.debug(message);
      }
    };
  }

  public CacheSpec spec() {
    return spec;
  }

  BuildLog log() {
    return log;
  }

  /** Whether it may be read: it is configured, and nothing has gone wrong with it in this build. */
  boolean usable() {
    return spec.reads() && !broken.get();
  }

  boolean writable() {
    return spec.writes() && !broken.get();
  }

  private Repository repository() {
    Repository r = repository;
    if (r == null) {
      synchronized (this) {
        if (repository == null) {
          repository = connect.get();
        }
        r = repository;
      }
    }
    return r;
  }

  /** A fresh path in the scratch directory, for a download or an archive. */
  Path temp(String what) throws IOException {
    Files.createDirectories(scratch);
    return Files.createTempFile(scratch, ".tmp-cache-", "-" + what);
  }

  /**
   * Runs {@code work} against the registry; any failure disables the registry cache for the rest of
   * the build, with one warning that says what failed and that the build goes on without it.
   */
  <T> Optional<T> attempt(String what, Work<T> work) {
    if (broken.get()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(work.run(repository()));
    } catch (RegistryException | IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      disable(what, e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      disable(what, e.toString());
      return Optional.empty();
    }
  }

  /** The one warning a failure of the registry cache gets; after it, the cache is not used. */
  private void disable(String what, String why) {
    if (broken.compareAndSet(false, true)) {
      log.warn("Registry cache " + spec.where() + ": could not " + what + " (" + why
          + "); the build goes on without the registry cache, as if it were empty");
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Repository repository) throws IOException;
  }

  /** The manifest tagged {@code key}, when there is one of {@code artifactType}; empty when there is none. */
  Optional<Manifest.Image> manifest(Repository repository, String key, String artifactType) throws IOException {
    Manifest manifest;
    try {
      manifest = repository.manifest(key, Optional.empty());
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    if (!(manifest instanceof Manifest.Image image) || !image.artifactType().map(artifactType::equals).orElse(false)) {
      throw new IOException("the tag " + key + " is not a cache entry of this plugin (" + manifest.mediaType() + ")");
    }
    return Optional.of(image);
  }

  /** Downloads {@code layer}, checked against its digest, to a fresh scratch file. */
  Path download(Repository repository, Descriptor layer) throws IOException {
    Path file = temp("blob");
    try {
      repository.blobToFile(layer, file, n -> {});
      downloaded.addAndGet(layer.size());
      return file;
    } catch (RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Uploads a blob unless the repository has it; counts the bytes sent. */
  void upload(Repository repository, Descriptor blob, Path file, byte[] bytes) {
    if (repository.pushBlob(blob, file, bytes, Optional.empty()) == Repository.BlobOutcome.UPLOADED) {
      uploaded.addAndGet(blob.size());
    }
  }

  /** Writes a manifest of {@code layers} under the tag {@code key}. */
  void tag(Repository repository, String key, String artifactType, Descriptor config, byte[] configBytes, List<Descriptor> layers) {
    upload(repository, config, null, configBytes);
    Manifest.Image manifest = ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, config, layers, Optional.empty(),
        Optional.of(artifactType), Map.of(KEY_ANNOTATION, key));
    repository.putManifest(key, manifest);
    uploaded.addAndGet(manifest.bytes().length);
  }

  /** The stage cache entry tagged {@code key}, unpacked into {@code into} (a fresh directory); false when the registry has none. */
  boolean fetchEntry(String key, Path into) {
    Optional<Boolean> got = attempt("read the stage cache entry " + key, repository -> {
      Optional<Manifest.Image> manifest = manifest(repository, key, STAGE_ENTRY);
      if (manifest.isEmpty() || manifest.get().layers().size() != 1) {
        return false;
      }
      Descriptor layer = manifest.get().layers().get(0);
      Path file = download(repository, layer);
      try {
        CacheArchive.unpack(file, layer.digest(), into, spec.maxBytes());
      } finally {
        Files.deleteIfExists(file);
      }
      if (CacheArchive.entries(into).isEmpty()) {
        throw new IOException("the entry " + key + " holds no files");
      }
      log.info("Registry cache: " + key + " imported from " + spec.where() + " (" + bytes(layer.size()) + ")");
      return true;
    });
    if (got.orElse(false)) {
      hits.incrementAndGet();
      return true;
    }
    misses.incrementAndGet();
    return false;
  }

  /** Exports a stage cache entry's files under the tag {@code key}, unless the registry has it. */
  void exportEntry(String key, Path directory) {
    attempt("export the stage cache entry " + key, repository -> {
      if (exists(repository, key)) {
        return null;
      }
      List<String> names = CacheArchive.entries(directory).stream().filter(n -> !n.startsWith(".")).toList();
      Path file = temp("entry.tar.gz");
      try {
        Descriptor layer = CacheArchive.write(directory, names, file);
        upload(repository, layer, file, null);
        tag(repository, key, STAGE_ENTRY, Descriptor.of(MediaTypes.OCI_EMPTY, MediaTypes.OCI_EMPTY_CONTENT),
            MediaTypes.OCI_EMPTY_CONTENT, List.of(layer));
        log.info("Registry cache: exported " + key + " (" + bytes(layer.size()) + ") to " + spec.where());
      } finally {
        Files.deleteIfExists(file);
      }
      return null;
    });
  }

  private static boolean exists(Repository repository, String key) {
    try {
      repository.headDigest(key);
      return true;
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  void hit() {
    hits.incrementAndGet();
  }

  void miss() {
    misses.incrementAndGet();
  }

  /** What the registry cache did in this build, for the log's last lines. */
  public Optional<String> summary() {
    if (!spec.reads()) {
      return Optional.empty();
    }
    return Optional.of("Registry cache " + spec.where() + " (" + spec.mode().text() + "): " + hits.get() + " hit"
        + (hits.get() == 1 ? "" : "s") + ", " + misses.get() + " miss" + (misses.get() == 1 ? "" : "es") + "; "
        + bytes(downloaded.get()) + " downloaded, " + bytes(uploaded.get()) + " uploaded" + (broken.get() ? "; not used after a failure" : ""));
  }

  static String bytes(long n) {
    return n >= 1 << 20 ? String.format("%.1f MB", n / 1e6) : n >= 1 << 10 ? String.format("%.1f kB", n / 1e3) : n + " B";
  }
}
