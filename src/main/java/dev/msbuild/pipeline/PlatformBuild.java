package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.DockerfileSpec;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.JavaSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.image.AppLayer;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.BaseFiles;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.DynamicLinking;
import dev.msbuild.image.FinalStageFiles;
import dev.msbuild.image.ImageAssembler;
import dev.msbuild.image.ImageContents;
import dev.msbuild.image.ImageFiles;
import dev.msbuild.image.LayerCache;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.JavaLayers;
import dev.msbuild.image.JavaRuntimeCheck;
import dev.msbuild.image.LayerEntry;
import dev.msbuild.image.PulledImage;
import dev.msbuild.image.UserDatabase;
import dev.msbuild.registry.Registries;
import dev.msbuild.rootfs.RootfsCache;
import dev.msbuild.stage.Artifact;
import dev.msbuild.stage.ArtifactCheck;
import dev.msbuild.stage.BuilderStage;
import dev.msbuild.stage.BuilderStageFiles;
import dev.msbuild.stage.DockerfileStages;
import dev.msbuild.stage.JavaRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * One platform's image: its base (that platform's entry of the base's index, or scratch), its
 * builder stage run on this machine with GOOS/GOARCH set, and its final stage.
 */
final class PlatformBuild {
  private final BuildPlan plan;
  private final BuildLog log;
  private final ImagePuller puller;
  private final BuilderStage builder;
  private final LayerCache layerCache;
  /** How the user named this build's platform: {@code <platforms>} when several are built, else {@code <platform>}. */
  private final Setting platformSetting;

  /** The Dockerfile's stages, when one is set: they replace the builder and final stages. */
  private final Optional<DockerfileSpec> dockerfile;
  private final DockerfileStages dockerfileStages;

  PlatformBuild(BuildPlan plan, Registries registries, BuildCaches caches, Optional<DockerfileSpec> dockerfile, BuildLog log,
      Setting platformSetting) {
    this.plan = plan;
    this.dockerfile = dockerfile;
    this.log = log;
    this.platformSetting = platformSetting;
    BlobStore blobs = new BlobStore(plan.cacheDirectory().resolve("blobs"));
    this.puller = new ImagePuller(registries, blobs, log);
    this.layerCache = new LayerCache(caches.stages());
    this.builder = new BuilderStage(puller, blobs, new RootfsCache(plan.cacheDirectory().resolve("rootfs"), log), caches.stages(),
        caches.directories(), log);
    this.dockerfileStages = new DockerfileStages(puller, blobs, new RootfsCache(plan.cacheDirectory().resolve("rootfs"), log),
        caches.stages(), log);
  }

  /** The builder stage alone: the Go artifacts, or a Java project's jlink runtime. */
  List<Artifact> artifacts() {
    if (dockerfile.isPresent()) {
      DockerfileStages.Result result = dockerfileStages.build(plan, dockerfile.get());
      log.info("Dockerfile stages done: " + result.layers().size() + " layer(s) of the target stage; msbuild:image or msbuild:tar "
          + "makes the image");
      return List.of();
    }
    if (plan.java().isPresent()) {
      if (plan.java().get().jlink().isEmpty()) {
        logNoBuilderStage();
        return List.of();
      }
      JavaRuntime runtime = builder.javaRuntime(plan);
      return List.of(new Artifact(runtime.home(), "runtime", plan.platform()));
    }
    List<Artifact> artifacts = builder.build(plan);
    ArtifactCheck.inspect(plan, artifacts, entrypoint(artifacts), platformSetting).withoutImage().forEach(log::info);
    return artifacts;
  }

  /** The path the container starts: the configured entrypoint's program, or the first artifact. */
  private String entrypoint(List<Artifact> artifacts) {
    List<String> configured = plan.container().entrypoint();
    return !configured.isEmpty() ? configured.get(0) : artifacts.isEmpty() ? "" : plan.finalStage().artifactPath(artifacts.get(0).name());
  }

  private void logNoBuilderStage() {
    log.info("Builder stage: none; the image takes Maven's own outputs (" + Setting.JAVA_JLINK.xml() + " is off)");
  }

  /** Base, builder stage and final stage, each timed into {@code summary}. */
  AssembledImage image(BuildSummary summary) {
    String of = summary.multiPlatform() ? " " + plan.platform() : "";
    if (dockerfile.isPresent()) {
      return dockerfileImage(summary, of);
    }
    Optional<PulledImage> base =
        summary.time("base image" + of,
            () -> plan.from().map(name -> puller.pull(name, plan.platform(), Setting.FROM_IMAGE, plan.fromAuth())),
            b -> b.map(i -> i.requested() + ", " + i.layers().size() + " layers, " + BuildSummary.bytes(i.compressedSize()))
                .orElse("scratch"));
    log.info("Base image: " + base.map(b -> b.requested() + "@" + b.resolvedDigest()).orElse("scratch"));
    if (plan.java().isPresent()) {
      return javaImage(summary, of, base);
    }
    List<Artifact> artifacts =
        summary.time("builder stage" + of, () -> builder.build(plan), a -> String.join(", ", a.stream().map(Artifact::name).toList()));
    // Before any layer is written: an archive, data or another machine's program is refused here.
    ArtifactCheck check = ArtifactCheck.inspect(plan, artifacts, entrypoint(artifacts), platformSetting);
    List<LayerEntry> artifactEntries = new ArrayList<>();
    for (Artifact a : artifacts) {
      artifactEntries.add(new LayerEntry.FileEntry(plan.finalStage().artifactPath(a.name()), a.file(), 0755, FinalStageSpec.Owner.ROOT));
    }
    String paths = String.join(" ", artifactEntries.stream().map(LayerEntry::imagePath).toList());
    String names = String.join(" ", artifacts.stream().map(Artifact::name).toList());
    String into = plan.finalStage().artifactPath().orElse(FinalStageSpec.APP_DIRECTORY + "/");
    JavaLayers.Planned layer = new JavaLayers.Planned("app-layer.tar.gz", "COPY --from=builder " + names + " " + into, artifactEntries);
    boolean users = usersNeeded();
    boolean files = check.needsImageFiles();
    return summary.time("final stage" + of, () -> {
      // Always read (names, modes, owners): our layers keep the base's directories as it has them.
      BaseFiles baseFiles = BaseFiles.read(base, users,
          name -> (files && DynamicLinking.isLoaderConfig(name)) || ImageContents.isPackageFile(name));
      return assemble(builder.files(plan, artifacts), List.of(layer), "Artifact layer", paths,
          List.of(artifactEntries.get(0).imagePath()), Map.of(), base, baseFiles, Optional.of(check))
          .withContents(contents(artifactEntries, baseFiles));
    }, i -> i.layers().size() + " layers, " + BuildSummary.bytes(i.compressedSize()));
  }

  /** The Dockerfile's target stage as the image: its base's layers, then one per instruction that changed files. */
  private AssembledImage dockerfileImage(BuildSummary summary, String of) {
    DockerfileStages.Result result = summary.time("Dockerfile stages" + of, () -> dockerfileStages.build(plan, dockerfile.get()),
        r -> r.layers().size() + " own layers");
    log.info("Base image: " + result.base().map(b -> b.requested() + "@" + b.resolvedDigest()).orElse("scratch"));
    List<ImageAssembler.OwnLayer> own = result.layers().stream()
        .map(l -> new ImageAssembler.OwnLayer(l.layer(), l.createdBy())).toList();
    AssembledImage image = ImageAssembler.assembleStage(result.base(), own, plan.platform(), result.container(),
        plan.container().created().orElse(Instant.EPOCH), plan.container().format());
    return image.withContents(new ImageContents(List.of(), List.of(), List.of(), result.packageFiles(), Optional.empty()));
  }

  /** A Java project: a jlink runtime if asked for, checked against the base, then Jib's layers. */
  private AssembledImage javaImage(BuildSummary summary, String of, Optional<PulledImage> base) {
    JavaSpec java = plan.java().get();
    Optional<JavaRuntime> runtime = java.jlink().isPresent()
        ? Optional.of(summary.time("builder stage" + of, () -> builder.javaRuntime(plan),
            r -> "jlink, " + r.modules().size() + " modules, " + r.libc()))
        : Optional.empty();
    if (runtime.isEmpty()) {
      logNoBuilderStage();
    }
    return summary.time("final stage" + of, () -> {
      String baseName = base.map(b -> b.requested().toString()).orElse("scratch");
      Optional<String> basePath = base.map(b -> b.config().envMap().get("PATH"));
      BaseFiles baseFiles = BaseFiles.read(base, usersNeeded(), name -> DynamicLinking.isLoaderConfig(name)
          || ImageContents.isPackageFile(name));
      ImageFiles files = baseFiles.files();
      try {
        if (runtime.isPresent()) {
          JavaRuntime r = runtime.get();
          JavaRuntimeCheck.checkRuntime(files, baseName, r.interpreter(), r.neededLibraries(), r.builder());
          log.info("Runtime check: the base " + baseName + " has the " + r.libc() + " loader " + r.interpreter().orElse("(none needed)")
              + (r.neededLibraries().isEmpty() ? "" : " and " + String.join(", ", r.neededLibraries())));
          if (!r.onDemandLibraries().isEmpty()) {
            log.info("Not checked, loaded only when their APIs are used (AWT, sound, ...): " + String.join(", ", r.onDemandLibraries()));
          }
        } else {
          JavaRuntimeCheck.checkBaseJava(files, baseName, basePath);
        }
        // @argfiles are read by the java launcher since Java 9: not for a Java 8 project or base.
        String baseJava = base.map(b -> b.config().envMap().getOrDefault("JAVA_VERSION", "")).orElse("");
        boolean argFiles = runtime.isPresent()
            || (java.release() > 8 && !baseJava.matches("(jdk)?(1\\.)?8([^0-9].*)?"));
        JavaLayers.Layout layout = JavaLayers.plan(java, runtime.map(JavaRuntime::home), basePath, argFiles);
        java.notes().forEach(log::info);
        log.info("Main class " + java.mainClass() + ", from " + java.mainClassOrigin());
        log.info("Java application: main class " + java.mainClass() + ", " + java.dependencies().size() + " dependencies, "
            + java.mode().name().toLowerCase(Locale.ROOT) + (runtime.isPresent()
                ? ", jlink runtime of " + String.join(",", runtime.get().modules()) + " at " + JavaSpec.RUNTIME_HOME : ", the base's java"));
        List<ImageContents.Jar> jars = java.dependencies().stream()
            .map(d -> new ImageContents.Jar(d.coordinates().groupId(), d.coordinates().artifactId(), d.coordinates().version(),
                JavaSpec.APP_ROOT + "/libs/" + d.fileName(), d.file()))
            .toList();
        return assemble(builder.files(plan, List.of()), layout.layers(), "Java layer", java.mainClass(), layout.entrypoint(),
            layout.environment(), base, baseFiles, Optional.empty())
            .withContents(new ImageContents(List.of(), jars, runtime.map(JavaRuntime::modules).orElse(List.of()),
                ImageContents.packageFiles(baseFiles.files()), runtime.isPresent() ? builder.usedImage() : Optional.empty()));
      } catch (IOException e) {
        throw new MsbuildException(
            "Could not read the base image's files or the application's in " + plan.outputDirectory() + ": " + e.getMessage(),
            null, "check that target/ is readable and the disk has room.", e);
      }
    }, i -> i.layers().size() + " layers, " + BuildSummary.bytes(i.compressedSize()));
  }

  private AssembledImage assemble(
      BuilderStageFiles builderFiles, List<JavaLayers.Planned> ownLayers, String what, String describedAs,
      List<String> defaultEntrypoint, Map<String, String> environment, Optional<PulledImage> base, BaseFiles baseFiles,
      Optional<ArtifactCheck> check) {
    FinalStageFiles files = FinalStageFiles.assemble(plan.finalStage(), builderFiles, baseFiles.users(), baseFiles.files(),
        builderFiles::goRoot);
    files.checkUser(plan.container().user());
    if (check.isPresent()) {
      // The final image as the container will see it: the base, then every layer this build adds.
      ImageFiles image = baseFiles.files().with(files.builderFiles()).with(files.extraFiles())
          .with(ownLayers.stream().flatMap(l -> l.entries().stream()).toList());
      Map<String, String> env = new TreeMap<>(base.map(b -> b.config().envMap()).orElse(Map.of()));
      env.putAll(files.environment());
      env.putAll(environment);
      env.putAll(plan.container().environment());
      check.get().against(image, base.map(b -> b.requested().toString()).orElse("scratch"), env).forEach(log::info);
    }
    try {
      // File times, like the image's creation time, come from the build's reproducible timestamp.
      Instant time = plan.container().created().orElse(Instant.EPOCH);
      List<ImageAssembler.OwnLayer> layers = new ArrayList<>();
      // Each layer's parent directories as the layers below it have them.
      ImageFiles lower = baseFiles.files();
      if (!files.builderFiles().isEmpty()) {
        String copied = describe(files.builderFiles());
        layers.add(ownLayer(files.builderFiles(), lower, time, "Builder files layer", copied, "COPY --from=builder " + copied));
        lower = lower.with(files.builderFiles());
      }
      if (!files.extraFiles().isEmpty()) {
        String from = String.join(" ", plan.finalStage().extraDirectories().stream()
            .map(d -> plan.sourceDirectory().relativize(d.from()) + " " + d.into()).toList());
        layers.add(ownLayer(files.extraFiles(), lower, time, "Extra files layer", files.extraFiles().size() + " entries from " + from,
            "COPY " + from));
        lower = lower.with(files.extraFiles());
      }
      for (JavaLayers.Planned planned : ownLayers) {
        layers.add(ownLayer(planned.entries(), lower, time, what,
            planned.entries().size() == 1 ? planned.entries().get(0).imagePath() : planned.history(), planned.history()));
        lower = lower.with(planned.entries());
      }
      Map<String, String> env = new TreeMap<>(files.environment());
      env.putAll(environment);
      return ImageAssembler.assemble(base, layers, plan.platform(), plan.container(), defaultEntrypoint, env, files.defaultUser());
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not write the image layers (" + describedAs + ") in " + plan.outputDirectory() + ": " + e.getMessage(),
          null,
          "check that target/ is writable and the disk has room.",
          e);
    }
  }

  /** What the Go build put into the image, for its SBOM and provenance. */
  private ImageContents contents(List<LayerEntry> artifacts, BaseFiles baseFiles) {
    List<ImageContents.Program> programs = new ArrayList<>();
    for (LayerEntry e : artifacts) {
      if (e instanceof LayerEntry.FileEntry f) {
        programs.add(new ImageContents.Program(f.imagePath(), f.source()));
      }
    }
    return new ImageContents(programs, List.of(), List.of(), ImageContents.packageFiles(baseFiles.files()), builder.usedImage());
  }

  /** Whether the base's /etc/passwd and /etc/group are read: only for a user by name, or to add the non-root user. */
  private boolean usersNeeded() {
    return UserDatabase.needed(plan.container().user(), plan.finalStage().nonRootUser().map(u -> u.name()));
  }

  /** A layer of ours, from the stage cache when the same entries made it before, else written (and kept). */
  private ImageAssembler.OwnLayer ownLayer(List<LayerEntry> entries, ImageFiles lower, Instant time, String what, String holds,
      String history) throws IOException {
    long start = System.nanoTime();
    LayerCache.Written written = layerCache.write(entries, lower, time);
    AppLayer layer = written.layer();
    log.info(String.format("%s %s: %s, %,d bytes compressed, %s", what, layer.digest(), holds, layer.size(),
        written.cached() ? "from the stage cache" : String.format("written in %.1f s", (System.nanoTime() - start) / 1e9)));
    return new ImageAssembler.OwnLayer(layer, history);
  }

  /** A short list of what a layer holds, for the log and the image history. */
  private static String describe(List<LayerEntry> entries) {
    List<String> tops = new ArrayList<>();
    for (LayerEntry e : entries) {
      String path = e.imagePath();
      if (e instanceof LayerEntry.DirectoryEntry && entries.stream().anyMatch(o -> o.imagePath().startsWith(path + "/"))) {
        continue; // a parent of what the layer holds
      }
      boolean covered = tops.stream().anyMatch(t -> path.startsWith(t + "/"));
      if (!covered) {
        tops.add(path);
      }
    }
    return tops.size() <= 6 ? String.join(" ", tops) : String.join(" ", tops.subList(0, 6)) + " and " + (tops.size() - 6) + " more";
  }
}
