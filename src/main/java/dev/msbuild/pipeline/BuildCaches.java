package dev.msbuild.pipeline;

import dev.msbuild.cache.CacheRegistry;
import dev.msbuild.cache.DirectoryShare;
import dev.msbuild.cache.LocalStageCache;
import dev.msbuild.cache.RegistryStageCache;
import dev.msbuild.cache.StageCache;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.CacheSpec;
import dev.msbuild.config.ImageName;
import dev.msbuild.registry.Registries;
import dev.msbuild.registry.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The caches one build shares among its platforms: the stage cache in {@code <cacheDirectory>},
 * and with {@code <cache><registry>} that registry behind it and behind Go's caches, exported to
 * once the build has succeeded.
 */
final class BuildCaches {
  /**
   * The registry cache is never worth a long wait: two tries, then the build goes on without it.
   * Its own client, so that its failures do not slow the pulls and the push.
   */
  private static final RetryPolicy CACHE_RETRY = new RetryPolicy(2, Duration.ofMillis(250), Duration.ofSeconds(2));

  private final StageCache stages;
  private final DirectoryShare directories;
  private final Optional<RegistryStageCache> shared;
  private final Optional<CacheRegistry> registry;

  private BuildCaches(StageCache stages, DirectoryShare directories, Optional<RegistryStageCache> shared,
      Optional<CacheRegistry> registry) {
    this.stages = stages;
    this.directories = directories;
    this.shared = shared;
    this.registry = registry;
  }

  static BuildCaches create(BuildPlan plan, CacheSpec spec, BuildLog log) {
    Path root = plan.cacheDirectory().resolve("stages");
    LocalStageCache local = new LocalStageCache(root, LocalStageCache.DEFAULT_MAX_BYTES);
    if (!spec.reads()) {
      return new BuildCaches(local, DirectoryShare.none(), Optional.empty(), Optional.empty());
    }
    if (plan.registries().offline()) {
      log.info("Offline: the registry cache " + spec.where() + " is not used; this machine's cache is");
      return new BuildCaches(local, DirectoryShare.none(), Optional.empty(), Optional.empty());
    }
    ImageName where = spec.repository().orElseThrow();
    Registries registries = new Registries(plan.registries(), CACHE_RETRY, CacheRegistry.clientLog(log));
    CacheRegistry registry = new CacheRegistry(spec,
        () -> registries.repository(where.registry(), where.repository(), registries.login(where.registry(), spec.auth())), root, log);
    log.info("Registry cache: " + spec.where() + " (" + spec.mode().text()
        + (spec.writes() ? ": imported before the build, exported after it)" : ": imported only, nothing is exported)"));
    RegistryStageCache stages = new RegistryStageCache(local, registry);
    return new BuildCaches(stages, new DirectoryShare(registry), Optional.of(stages), Optional.of(registry));
  }

  StageCache stages() {
    return stages;
  }

  DirectoryShare directories() {
    return directories;
  }

  /** After a successful build: what it made goes to the registry cache (readwrite mode), and the log says what the cache did. */
  void export(BuildLog log) {
    shared.ifPresent(RegistryStageCache::export);
    directories.export();
    registry.flatMap(CacheRegistry::summary).ifPresent(log::info);
  }
}
