package dev.msbuild.pipeline;

import dev.msbuild.attest.Attestor;
import dev.msbuild.config.AttestationSpec;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.CacheSpec;
import dev.msbuild.config.DockerfileSpec;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.config.TarFormat;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.publish.ImagePublisher;
import dev.msbuild.publish.IndexPublisher;
import dev.msbuild.publish.OciLayoutIndexPublisher;
import dev.msbuild.publish.OutputFiles;
import dev.msbuild.publish.PlatformImage;
import dev.msbuild.publish.PublishResult;
import dev.msbuild.publish.RegistryIndexPublisher;
import dev.msbuild.publish.RegistryPublisher;
import dev.msbuild.publish.TarPublisher;
import dev.msbuild.registry.Registries;
import dev.msbuild.stage.Artifact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The whole flow, free of Maven: for each platform the builder stage makes the artifact and the
 * final stage layers it onto that platform's base; a publisher sends the image (or, for several
 * platforms, the images and their index) to a registry or a tar file. Each goal holds the
 * project's lock ({@link ProjectLock}) from its builder stage to its last output file.
 */
public final class MultiStageBuild {
  private final BuildPlan plan;
  private final BuildLog log;
  /** One client per registry for the whole build: pulls of every platform and the push share them. */
  private final Registries registries;

  /** What is attached to each pushed image: its SBOM and provenance. */
  private final Attestor attestor;

  /** The stage cache, and the registry cache behind it when {@code <cache><registry>} is set. */
  private final CacheSpec cache;

  /** The Dockerfile the build runs in place of the pom's builder and final stage, if one is set. */
  private final Optional<DockerfileSpec> dockerfile;

  public MultiStageBuild(BuildPlan plan, BuildLog log) {
    this(plan, AttestationSpec.NONE, CacheSpec.NONE, Optional.empty(), log);
  }

  public MultiStageBuild(BuildPlan plan, AttestationSpec attestation, CacheSpec cache, Optional<DockerfileSpec> dockerfile,
      BuildLog log) {
    this.plan = plan;
    this.dockerfile = dockerfile;
    this.attestor = new Attestor(attestation);
    this.cache = cache;
    this.log = log;
    this.registries = new Registries(plan.registries(), log);
  }

  /** The builder stage alone, for every platform. */
  public List<Artifact> buildArtifacts() {
    return ProjectLock.holding(plan.outputDirectory(), log, () -> {
      BuildCaches caches = BuildCaches.create(plan, cache, log);
      List<Artifact> artifacts = forEachPlatform(caches, PlatformBuild::artifacts).stream().flatMap(List::stream).toList();
      caches.export(log);
      return artifacts;
    });
  }

  /** Builder stage, final stage, and a push to {@code <to><image>}; one build of the project at a time. */
  public PublishResult pushImage() {
    if (plan.registries().offline()) {
      throw new MsbuildException(
          "msbuild:image pushes to a registry, and Maven is offline (-o).",
          Setting.TO_IMAGE,
          "run it without -o; offline, msbuild:tar writes the image to target/msbuild/image.tar and msbuild:build "
              + "runs the builder stage alone, both from images in the cache.");
    }
    ImageName target =
        plan.to()
            .orElseThrow(
                () ->
                    new MsbuildException(
                        "msbuild:image pushes to a registry but no target image is set.",
                        Setting.TO_IMAGE,
                        "set <to><image>registry.example.com/team/app:1.0</image></to> in the plugin "
                            + "configuration or pass -Dmsbuild.to.image=...; to build without a registry, run msbuild:tar."));
    return ProjectLock.holding(plan.outputDirectory(), log, () -> push(target));
  }

  /** Builder stage, final stage, and {@code target/msbuild/image.tar}; one build of the project at a time. */
  public PublishResult writeTar() {
    if (plan.multiPlatform() && plan.tarFormat() == TarFormat.DOCKER) {
      throw new MsbuildException(
          "A docker load archive holds one platform, and " + plan.platforms().size() + " are set.",
          Setting.TAR_FORMAT,
          "set " + Setting.TAR_FORMAT + " to oci for a multi-platform OCI layout, or build one platform.");
    }
    return ProjectLock.holding(plan.outputDirectory(), log, this::tar);
  }

  private PublishResult push(ImageName target) {
    OutputFiles.clear(plan.outputDirectory());
    // The login is checked first: a push it cannot do fails before minutes of compiling.
    if (plan.multiPlatform()) {
      IndexPublisher publisher =
          new RegistryIndexPublisher(target, plan.tags(), registries, plan.toAuth(), plan.container().format(), attestor, log);
      publisher.checkAccess();
      return publishIndex(publisher, "push");
    }
    ImagePublisher publisher = new RegistryPublisher(target, plan.tags(), registries, plan.toAuth(), attestor, log);
    publisher.checkAccess();
    return publish(publisher, "push");
  }

  /** {@code target/msbuild/image.tar}: docker-loadable or an OCI layout. */
  private PublishResult tar() {
    ImageName name = plan.to().orElse(ImageName.parse(plan.defaultImageName(), Setting.TO_IMAGE));
    Path file = plan.outputDirectory().resolve("image.tar");
    OutputFiles.clear(plan.outputDirectory());
    if (plan.multiPlatform()) {
      return publishIndex(new OciLayoutIndexPublisher(name, file, attestor), "tar");
    }
    return publish(new TarPublisher(name, file, plan.tarFormat(), attestor), "tar");
  }

  private PublishResult publish(ImagePublisher publisher, String publishStep) {
    BuildSummary summary = new BuildSummary(false);
    BuildCaches caches = BuildCaches.create(plan, cache, log);
    AssembledImage image = new PlatformBuild(plan, registries, caches, dockerfile, log, platformSetting()).image(summary);
    PublishResult result =
        summary.time(publishStep, () -> new OutputFiles(publisher, plan.outputDirectory()).publish(image), MultiStageBuild::detail);
    export(caches, summary);
    report(result, summary);
    return result;
  }

  private PublishResult publishIndex(IndexPublisher publisher, String publishStep) {
    BuildSummary summary = new BuildSummary(true);
    log.info("Platforms: " + String.join(", ", plan.platforms().stream().map(Platform::toString).toList())
        + " (built side by side, " + threads() + " at a time)");
    BuildCaches caches = BuildCaches.create(plan, cache, log);
    List<AssembledImage> images = forEachPlatform(caches, build -> build.image(summary));
    List<PlatformImage> platformImages = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      platformImages.add(new PlatformImage(plan.platforms().get(i), images.get(i)));
    }
    PublishResult result =
        summary.time(publishStep, () -> OutputFiles.record(publisher.publish(platformImages), plan.outputDirectory()),
            MultiStageBuild::detail);
    export(caches, summary);
    report(result, summary);
    return result;
  }

  /** The registry cache's export, timed in the summary when there is a registry cache. */
  private void export(BuildCaches caches, BuildSummary summary) {
    if (cache.reads()) {
      summary.time("registry cache", () -> {
        caches.export(log);
        return cache.where();
      }, where -> where + " (" + cache.mode().text() + ")");
    }
  }

  /** Runs {@code work} for each platform, side by side as far as this machine's cores allow. */
  private <T> List<T> forEachPlatform(BuildCaches caches, Function<PlatformBuild, T> work) {
    if (!plan.multiPlatform()) {
      return List.of(work.apply(new PlatformBuild(plan, registries, caches, dockerfile, log, platformSetting())));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Platform platform : plan.platforms()) {
        BuildLog platformLog = new PrefixedLog(log, "[" + platform + "] ");
        futures.add(pool.submit(() -> work.apply(new PlatformBuild(plan.forPlatform(platform), registries, caches, dockerfile, platformLog, platformSetting()))));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error; // an OutOfMemoryError on one platform's thread is that, not an IllegalStateException
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MsbuildException("The build was interrupted.", null, "run it again.");
    } finally {
      pool.shutdownNow();
    }
  }

  /** The setting a message about the target platform names. */
  private Setting platformSetting() {
    return plan.multiPlatform() ? Setting.PLATFORMS : Setting.PLATFORM;
  }

  private int threads() {
    return Math.max(1, Math.min(plan.platforms().size(), Runtime.getRuntime().availableProcessors()));
  }

  private static String detail(PublishResult r) {
    return r.tarFile().isPresent()
        ? BuildSummary.bytes(r.compressedSize()) + " of layers written"
        : BuildSummary.bytes(r.pushedBytes()) + " pushed, " + BuildSummary.bytes(r.reusedBytes()) + " already in the registry";
  }

  private void report(PublishResult result, BuildSummary summary) {
    log.info("Image: " + result.reference());
    result.manifests().forEach(m -> log.info("  " + m.platform() + ": " + m.digest()));
    result.attachments().forEach(a -> log.info("  " + (plan.multiPlatform() ? a.platform() + " " : "") + a.artifactType() + ": "
        + a.digest()));
    if (plan.to().isPresent() && result.tarFile().isEmpty()) {
      for (String tag : result.tags()) {
        log.info("  tagged " + plan.to().get().withTag(tag));
      }
    }
    result.tarFile().ifPresent(f -> log.info("  written to " + f + (plan.tarFormat() == TarFormat.OCI
        ? " (an OCI image layout: skopeo copy oci-archive:" + f + ":" + (result.tags().isEmpty() ? "latest" : result.tags().get(0))
            + " ...)"
        : " (load it with: docker load -i " + f + ")")));
    log.info(String.format("  compressed size %,d bytes (%.2f MB)", result.compressedSize(), result.compressedSize() / 1e6));
    summary.log(log);
  }
}
