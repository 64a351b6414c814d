package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.ContainerSpec;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.TarFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInputsTest {
  @TempDir Path project;

  private BuildPlan plan(List<String> flags, Platform platform) {
    return plan(flags, platform, project.resolve("target/msbuild"));
  }

  private BuildPlan plan(List<String> flags, Platform platform, Path outputDirectory) {
    return plan(project, flags, "", Optional.empty(), platform, outputDirectory);
  }

  private BuildPlan plan(List<String> flags, String ldflags, Optional<String> command, Platform platform, Path outputDirectory) {
    return plan(project, flags, ldflags, command, platform, outputDirectory);
  }

  static BuildPlan plan(Path project, List<String> flags, Platform platform, Path outputDirectory) {
    return plan(project, flags, "", Optional.empty(), platform, outputDirectory);
  }

  static BuildPlan plan(Path project, List<String> flags, String ldflags, Optional<String> command, Platform platform,
      Path outputDirectory) {
    BuilderSpec builder = new BuilderSpec(ImageName.parse("golang:1.26-alpine", null), BuilderSpec.Isolation.AUTO,
        BuilderSpec.SandboxTool.AUTO, command, command.isPresent() ? List.of("/out/app") : List.of(), ".", "app", flags, ldflags,
        Map.of(), true, Duration.ofSeconds(60), List.of(), BuilderSpec.UnpackLimits.DEFAULT);
    ContainerSpec container = new ContainerSpec(List.of(), List.of(), Map.of(), List.of(), Map.of(), null, null, List.of(),
        ImageFormat.DOCKER, Optional.empty());
    FinalStageSpec finalStage = new FinalStageSpec(List.of(), false, false, Optional.empty(), List.of(), List.of(), Optional.empty());
    return new BuildPlan(project, outputDirectory, project.resolve("cache"), builder, platform,
        Optional.empty(), Optional.empty(), List.of(), container, new RegistryOptions(false, Map.of()), "app:1", finalStage,
        RegistryAuth.none(null), RegistryAuth.none(null), TarFormat.DOCKER, List.of(platform), Optional.empty());
  }

  @Test
  void sourcesToolchainFlagsAndPlatformMakeTheKeyTheBuildDirectoryAndGitDoNot() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    BuildPlan plan = plan(List.of(), Platform.LINUX_AMD64);
    String key = BuildInputs.of(plan, "image sha256:a").key();
    Files.createDirectories(project.resolve("target/msbuild"));
    Files.writeString(project.resolve("target/msbuild/app"), "binary");
    Files.createDirectories(project.resolve(".git"));
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    assertEquals(key, BuildInputs.of(plan, "image sha256:a").key());
    assertNotEquals(key, BuildInputs.of(plan, "image sha256:b").key());
    assertNotEquals(key, BuildInputs.of(plan(List.of("-tags=netgo"), Platform.LINUX_AMD64), "image sha256:a").key());
    assertNotEquals(key, BuildInputs.of(plan(List.of(), Platform.parse("linux/arm64", null)), "image sha256:a").key());
    Files.writeString(project.resolve("go.sum"), "");
    assertNotEquals(key, BuildInputs.of(plan, "image sha256:a").key());
  }

  @Test
  void theLastBuildCountsOnlyWhileItsArtifactsAreAsItLeftThem() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    BuildPlan plan = plan(List.of(), Platform.LINUX_AMD64);
    BuildInputs.Key key = BuildInputs.of(plan, "image sha256:a");
    Path binary = Files.createDirectories(plan.outputDirectory()).resolve("app");
    Files.writeString(binary, "binary");
    BuildInputs.record(plan, key, List.of(new Artifact(binary, "app", plan.platform())));
    assertEquals(List.of(binary), BuildInputs.unchanged(plan, key).orElseThrow().stream().map(Artifact::file).toList());
    Files.writeString(project.resolve("main.go"), "package main // changed\n");
    assertTrue(BuildInputs.unchanged(plan, BuildInputs.of(plan, "image sha256:a")).isEmpty());
    Files.writeString(binary, "tampered");
    assertTrue(BuildInputs.unchanged(plan, key).isEmpty());
    BuildInputs.forget(plan);
    assertTrue(Files.notExists(plan.outputDirectory().resolve(BuildInputs.FILE)));
  }

  @Test
  void anOutputDirectoryRightUnderTheProjectStillLeavesTheSourcesHashed() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    BuildPlan plan = plan(List.of(), Platform.LINUX_AMD64, project.resolve("out"));
    String key = BuildInputs.of(plan, "image sha256:a").key();
    Files.writeString(project.resolve("main.go"), "package main // changed\n");
    String edited = BuildInputs.of(plan, "image sha256:a").key();
    assertNotEquals(key, edited);
    // The plugin's own outputs there are still left out.
    Files.createDirectories(project.resolve("out"));
    Files.writeString(project.resolve("out/app"), "binary");
    assertEquals(edited, BuildInputs.of(plan, "image sha256:a").key());
  }

  @Test
  void theBuildDirectoryAndWhatBuildsLeftThereAreNeverHashed() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    BuildPlan plan = plan(List.of(), Platform.LINUX_AMD64);
    BuildInputs.Key key = BuildInputs.of(plan, "image sha256:a");
    Path work = Files.createDirectories(project.resolve("target/msbuild/.tmp-1-2-00000000-sandbox/work/work"));
    Files.writeString(work.resolve("x"), "left by an overlay");
    Files.createDirectories(project.resolve("target/classes"));
    Files.writeString(project.resolve("target/classes/A.class"), "not a source");
    BuildInputs.Key again = BuildInputs.of(plan, "image sha256:a");
    assertEquals(key, again);
    assertEquals(1, again.files(), "only main.go is an input");
  }

  @Test
  void aModulesTargetIsLeftOutButADirectoryNamedTargetWithoutAPomIsASource() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    Files.writeString(project.resolve("pom.xml"), "<project/>\n");
    Files.createDirectories(project.resolve("java-module/target/msbuild"));
    Files.writeString(project.resolve("java-module/pom.xml"), "<project/>\n");
    BuildPlan plan = plan(List.of(), Platform.LINUX_AMD64);
    BuildInputs.Key key = BuildInputs.of(plan, "image sha256:a");
    Files.writeString(project.resolve("java-module/target/msbuild/app"), "a module's build output");
    assertEquals(key, BuildInputs.of(plan, "image sha256:a"));
    Files.createDirectories(project.resolve("internal/target"));
    Files.writeString(project.resolve("internal/target/target.go"), "package target\n");
    assertNotEquals(key, BuildInputs.of(plan, "image sha256:a"), "a Go package named target is a source");
  }

  @Test
  void theLogSaysWhichInputChanged() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    Files.writeString(project.resolve("util.go"), "package main\n");
    BuildPlan plan = plan(List.of(), Platform.LINUX_AMD64);
    Path out = plan.outputDirectory();
    assertTrue(BuildInputs.whatChanged(plan, BuildInputs.of(plan, "image a")).startsWith("no earlier build is recorded"));
    Path binary = Files.createDirectories(out).resolve("app");
    Files.writeString(binary, "binary");
    BuildInputs.record(plan, BuildInputs.of(plan, "image a"), List.of(new Artifact(binary, "app", plan.platform())));

    Files.writeString(project.resolve("main.go"), "package main // edited\n");
    Files.delete(project.resolve("util.go"));
    Files.writeString(project.resolve("new.go"), "package main\n");
    BuildPlan ldflags = plan(List.of(), "-X main.v=2", Optional.empty(), Platform.LINUX_AMD64, out);
    assertEquals("the toolchain, <builder><ldflags> changed; main.go changed; new.go added; util.go removed",
        BuildInputs.whatChanged(ldflags, BuildInputs.of(ldflags, "image b")));
  }

  @Test
  void theGoBuildIgnoresThePomUnlessGoCodeNamesItButACommandDoesNot() throws IOException {
    Files.writeString(project.resolve("main.go"), "package main\n");
    Files.writeString(project.resolve("pom.xml"), "<project><container><args>a</args></container></project>");
    BuildPlan go = plan(List.of(), Platform.LINUX_AMD64);
    BuildPlan command = plan(List.of(), "", Optional.of("make"), Platform.LINUX_AMD64, project.resolve("target/msbuild"));
    String goKey = BuildInputs.of(go, "image a").key();
    String commandKey = BuildInputs.of(command, "image a").key();
    Files.writeString(project.resolve("pom.xml"), "<project><container><args>b</args></container></project>");
    assertEquals(goKey, BuildInputs.of(go, "image a").key());
    assertNotEquals(commandKey, BuildInputs.of(command, "image a").key());
    Files.writeString(project.resolve("embed.go"), "package main\n//go:embed pom.xml\nvar pom string\n");
    String embedding = BuildInputs.of(go, "image a").key();
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    assertNotEquals(embedding, BuildInputs.of(go, "image a").key());
  }
}
