package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.image.AppLayer;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.FinalStageFiles;
import dev.msbuild.image.ImageAssembler;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.LayerEntry;
import dev.msbuild.image.PulledImage;
import dev.msbuild.image.StagedImage;
import dev.msbuild.rootfs.RootfsCache;
import dev.msbuild.stage.Artifact;
import dev.msbuild.stage.ArtifactBuilder;
import dev.msbuild.stage.BuilderStage;
import dev.msbuild.stage.BuilderStageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One platform's image: its base (that platform's entry of the base's index, or scratch), its
 * builder stage run on this machine with GOOS/GOARCH set, and its final stage.
 */
final class PlatformBuild {
  private final BuildPlan plan;
  private final BuildLog log;
  private final ImagePuller puller;
  private final ArtifactBuilder builder;

  PlatformBuild(BuildPlan plan, BuildLog log) {
    this.plan = plan;
    this.log = log;
    BlobStore blobs = new BlobStore(plan.cacheDirectory().resolve("blobs"));
    this.puller = new ImagePuller(plan.registries(), blobs, log);
    this.builder = new BuilderStage(puller, blobs, new RootfsCache(plan.cacheDirectory().resolve("rootfs"), log), log);
  }

  List<Artifact> artifacts() {
    return builder.build(plan);
  }

  /** Base, builder stage and final stage, each timed into {@code summary}. */
  AssembledImage image(BuildSummary summary) {
    String of = summary.multiPlatform() ? " " + plan.platform() : "";
    Optional<PulledImage> base =
        summary.time("base image" + of,
            () -> plan.from().map(name -> puller.pull(name, plan.platform(), Setting.FROM_IMAGE, plan.fromAuth())),
            b -> b.map(i -> i.requested() + ", " + i.layers().size() + " layers, " + BuildSummary.bytes(i.compressedSize()))
                .orElse("scratch"));
    log.info("Base image: " + base.map(b -> b.requested() + "@" + b.resolvedDigest()).orElse("scratch"));
    List<Artifact> artifacts =
        summary.time("builder stage" + of, this::artifacts, a -> String.join(", ", a.stream().map(Artifact::name).toList()));
    return summary.time("final stage" + of, () -> assemble(artifacts, base),
        i -> i.staged().layers().size() + " layers, " + BuildSummary.bytes(i.staged().compressedSize()));
  }

  private AssembledImage assemble(List<Artifact> artifacts, Optional<PulledImage> base) {
    List<LayerEntry> artifactEntries = new ArrayList<>();
    for (Artifact a : artifacts) {
      artifactEntries.add(new LayerEntry.FileEntry("/app/" + a.name(), a.file(), 0755, FinalStageSpec.Owner.ROOT));
    }
    String paths = String.join(" ", artifactEntries.stream().map(LayerEntry::imagePath).toList());
    BuilderStageFiles builderFiles = builder.files(plan, artifacts);
    FinalStageFiles files =
        FinalStageFiles.assemble(
            plan.finalStage(), builderFiles,
            base.map(b -> b.layers().stream().map(PulledImage.Layer::file).toList()).orElse(List.of()),
            builderFiles::goRoot);
    files.checkUser(plan.container().user());
    try {
      Path staging = plan.outputDirectory().resolve("staging");
      List<StagedImage.OwnLayer> layers = new ArrayList<>();
      if (!files.builderFiles().isEmpty()) {
        AppLayer layer = AppLayer.writeEntries(files.builderFiles(), staging.resolve("builder-files.tar.gz"));
        log.info(String.format("Builder files layer %s: %s, %,d bytes compressed", layer.digest(),
            describe(files.builderFiles()), layer.size()));
        layers.add(new StagedImage.OwnLayer(layer, "COPY --from=builder " + describe(files.builderFiles())));
      }
      if (!files.extraFiles().isEmpty()) {
        AppLayer layer = AppLayer.writeEntries(files.extraFiles(), staging.resolve("extra-files.tar.gz"));
        String from = String.join(" ", plan.finalStage().extraDirectories().stream()
            .map(d -> plan.sourceDirectory().relativize(d.from()) + " " + d.into()).toList());
        log.info(String.format("Extra files layer %s: %d entries from %s, %,d bytes compressed", layer.digest(),
            files.extraFiles().size(), from, layer.size()));
        layers.add(new StagedImage.OwnLayer(layer, "COPY " + from));
      }
      AppLayer layer = AppLayer.writeEntries(artifactEntries, staging.resolve("app-layer.tar.gz"));
      log.info(String.format("Artifact layer %s: %s, %,d bytes compressed", layer.digest(), paths, layer.size()));
      String names = String.join(" ", artifacts.stream().map(Artifact::name).toList());
      layers.add(new StagedImage.OwnLayer(layer, "COPY --from=builder " + names + " /app/"));
      StagedImage staged = StagedImage.write(base, layers, plan.platform(), staging.resolve("staged.tar"));
      return ImageAssembler.assemble(
          staged, plan.container(), List.of(artifactEntries.get(0).imagePath()), files.environment(), files.defaultUser());
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not write the image layers in " + plan.outputDirectory() + ": " + e.getMessage(),
          null,
          "check that target/ is writable and the disk has room.",
          e);
    }
  }

  /** A short list of what a layer holds, for the log and the image history. */
  private static String describe(List<LayerEntry> entries) {
    List<String> tops = new ArrayList<>();
    for (LayerEntry e : entries) {
      String path = e.imagePath();
      boolean covered = tops.stream().anyMatch(t -> path.startsWith(t + "/"));
      if (!covered) {
        tops.add(path);
      }
    }
    return tops.size() <= 6 ? String.join(" ", tops) : String.join(" ", tops.subList(0, 6)) + " and " + (tops.size() - 6) + " more";
  }
}
