package dev.msbuild.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything one build needs, validated and immutable. The Mojos make it; the stages only read it.
 *
 * @param sourceDirectory the project's source (the builder stage's {@code COPY . .})
 * @param outputDirectory {@code target/msbuild}: the artifact and the image outputs
 * @param cacheDirectory unpacked builder images, blobs and Go's caches, shared between builds
 * @param builder the builder stage
 * @param platform the target platform
 * @param from the base image; empty means {@code scratch}
 * @param to the target image; empty when the goal needs none
 * @param tags extra tags pushed with the image
 * @param container the final image's runtime configuration
 * @param registries how registries are reached
 * @param defaultImageName the name a tar image gets when {@code to} is empty
 * @param finalStage copies from the builder, scratch essentials and extra files
 * @param fromAuth credentials for the base image's registry
 * @param toAuth credentials for the target registry
 * @param tarFormat what {@code msbuild:tar} writes
 * @param platforms every platform to build, {@code platform} first; one for a single-platform image
 * @param java the Java application, for a Java project; empty for a Go build
 */
public record BuildPlan(
    Path sourceDirectory,
    Path outputDirectory,
    Path cacheDirectory,
    BuilderSpec builder,
    Platform platform,
    Optional<ImageName> from,
    Optional<ImageName> to,
    List<String> tags,
    ContainerSpec container,
    RegistryOptions registries,
    String defaultImageName,
    FinalStageSpec finalStage,
    RegistryAuth fromAuth,
    RegistryAuth toAuth,
    TarFormat tarFormat,
    List<Platform> platforms,
    Optional<JavaSpec> java) {

  public BuildPlan {
    tags = List.copyOf(tags);
    platforms = List.copyOf(platforms);
  }

  /** This plan for a Maven that runs offline ({@code -o}): images from the cache only, no push. */
  public BuildPlan offline(boolean isOffline) {
    return new BuildPlan(sourceDirectory, outputDirectory, cacheDirectory, builder, platform, from, to, tags, container,
        registries.withOffline(isOffline), defaultImageName, finalStage, fromAuth, toAuth, tarFormat, platforms, java);
  }

  /** This plan for a Maven run with {@code -U}: builder image tags are asked of their registry on every build. */
  public BuildPlan updateTags(boolean update) {
    return new BuildPlan(sourceDirectory, outputDirectory, cacheDirectory, builder, platform, from, to, tags, container,
        registries.withUpdateTags(update), defaultImageName, finalStage, fromAuth, toAuth, tarFormat, platforms, java);
  }

  public boolean multiPlatform() {
    return platforms.size() > 1;
  }

  /**
   * The plan of one platform of a multi-platform build: its own output directory
   * ({@code target/msbuild/linux-arm64}), everything else shared.
   */
  public BuildPlan forPlatform(Platform one) {
    return new BuildPlan(sourceDirectory, outputDirectory.resolve(one.directoryName()), cacheDirectory, builder, one,
        from, to, tags, container, registries, defaultImageName, finalStage, fromAuth, toAuth, tarFormat, List.of(one), java);
  }
}
