package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.image.AppLayer;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.ImageAssembler;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.PulledImage;
import dev.msbuild.image.StagedImage;
import dev.msbuild.publish.ImagePublisher;
import dev.msbuild.publish.OutputFiles;
import dev.msbuild.publish.PublishResult;
import dev.msbuild.publish.RegistryPublisher;
import dev.msbuild.publish.TarPublisher;
import dev.msbuild.rootfs.RootfsCache;
import dev.msbuild.stage.Artifact;
import dev.msbuild.stage.ArtifactBuilder;
import dev.msbuild.stage.BuilderStage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole flow, free of Maven: the builder stage makes the artifact, the final stage layers it
 * onto the base, a publisher sends the image to a registry or a tar file.
 */
public final class MultiStageBuild {
  private final BuildPlan plan;
  private final BuildLog log;
  private final ImagePuller puller;
  private final ArtifactBuilder builder;

  public MultiStageBuild(BuildPlan plan, BuildLog log) {
    this.plan = plan;
    this.log = log;
    BlobStore blobs = new BlobStore(plan.cacheDirectory().resolve("blobs"));
    this.puller = new ImagePuller(plan.registries(), blobs, log);
    this.builder = new BuilderStage(puller, blobs, new RootfsCache(plan.cacheDirectory().resolve("rootfs"), log), log);
  }

  /** The builder stage alone. */
  public List<Artifact> buildArtifacts() {
    return builder.build(plan);
  }

  /** Builder stage, final stage, and a push to {@code <to><image>}. */
  public PublishResult pushImage() {
    ImageName target =
        plan.to()
            .orElseThrow(
                () ->
                    new MsbuildException(
                        "msbuild:image pushes to a registry but no target image is set.",
                        Setting.TO_IMAGE,
                        "set <to><image>registry.example.com/team/app:1.0</image></to> in the plugin "
                            + "configuration or pass -Dmsbuild.to.image=...; to build without a registry, run msbuild:tar."));
    return publish(
        new RegistryPublisher(
            target, plan.tags(), plan.registries().allowInsecure(), plan.cacheDirectory(), plan.platform().toString(), log));
  }

  /** Builder stage, final stage, and a docker-loadable {@code target/msbuild/image.tar}. */
  public PublishResult writeTar() {
    ImageName name = plan.to().orElse(ImageName.parse(plan.defaultImageName(), Setting.TO_IMAGE));
    Path file = plan.outputDirectory().resolve("image.tar");
    return publish(new TarPublisher(name, file, plan.cacheDirectory(), plan.platform().toString(), log));
  }

  private PublishResult publish(ImagePublisher publisher) {
    long start = System.nanoTime();
    Optional<PulledImage> base = plan.from().map(name -> puller.pull(name, plan.platform(), Setting.FROM_IMAGE));
    log.info("Base image: " + base.map(b -> b.requested() + "@" + b.resolvedDigest()).orElse("scratch"));
    List<Artifact> artifacts = buildArtifacts();
    AssembledImage image = assemble(artifacts, base);
    PublishResult result = new OutputFiles(publisher, plan.outputDirectory()).publish(image);
    log.info("Image: " + result.reference());
    if (plan.to().isPresent() && result.tarFile().isEmpty()) {
      for (String tag : result.tags()) {
        log.info("  tagged " + plan.to().get().withTag(tag));
      }
    }
    result.tarFile().ifPresent(f -> log.info("  written to " + f + " (load it with: docker load -i " + f + ")"));
    log.info(String.format(
        "  compressed size %,d bytes (%.2f MB); built in %.1f s",
        result.compressedSize(), result.compressedSize() / 1e6, (System.nanoTime() - start) / 1e9));
    return result;
  }

  private AssembledImage assemble(List<Artifact> artifacts, Optional<PulledImage> base) {
    List<AppLayer.Entry> entries =
        artifacts.stream().map(a -> new AppLayer.Entry(a.file(), "/app/" + a.name(), 0755)).toList();
    String paths = String.join(" ", entries.stream().map(AppLayer.Entry::imagePath).toList());
    try {
      Path staging = plan.outputDirectory().resolve("staging");
      AppLayer layer = AppLayer.write(entries, staging.resolve("app-layer.tar.gz"));
      log.info(String.format("Artifact layer %s: %s, %,d bytes compressed", layer.digest(), paths, layer.size()));
      String names = String.join(" ", artifacts.stream().map(Artifact::name).toList());
      StagedImage staged =
          StagedImage.write(base, layer, plan.platform(), "COPY --from=builder " + names + " /app/", staging.resolve("staged.tar"));
      return ImageAssembler.assemble(staged, plan.container(), List.of(entries.get(0).imagePath()));
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not write the image layers in " + plan.outputDirectory() + ": " + e.getMessage(),
          null,
          "check that target/ is writable and the disk has room.",
          e);
    }
  }
}
