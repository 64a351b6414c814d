package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoBuildCommandTest {
  @TempDir Path project;

  private static BuilderSpec spec(List<String> flags, String ldflags, boolean strip, Optional<String> revision) {
    return new BuilderSpec(ImageName.parse("golang:1.26-alpine", null), BuilderSpec.Isolation.AUTO,
        BuilderSpec.SandboxTool.AUTO, Optional.empty(), List.of(), ".", "app", flags, ldflags, Map.of(), true,
        Duration.ofSeconds(60), List.of(), BuilderSpec.UnpackLimits.DEFAULT, strip, revision, Optional.empty());
  }

  private BuildPlan plan(BuilderSpec builder) {
    ContainerSpec container = new ContainerSpec(List.of(), List.of(), Map.of(), List.of(), Map.of(), null, null, List.of(),
        ImageFormat.DOCKER, Optional.empty());
    return new BuildPlan(project, project.resolve("target/msbuild"), project.resolve("cache"), builder, Platform.LINUX_AMD64,
        Optional.empty(), Optional.empty(), List.of(), container, new RegistryOptions(false, Map.of()), "app:1",
        FinalStageSpec.NONE, RegistryAuth.none(null), RegistryAuth.none(null), TarFormat.DOCKER,
        List.of(Platform.LINUX_AMD64), Optional.empty());
  }

  private List<String> argv(BuilderSpec spec, boolean vcs) throws IOException {
    Files.writeString(project.resolve("go.mod"), "module x\n\ngo 1.26\n");
    return GoBuildCommand.plan(plan(spec), BuildLog.NONE).argv("go", spec, "/out/app", vcs);
  }

  @Test
  void ldflagsFollowTheStripFlagsAndVcsStampingIsAutoOnlyWhenAsked() throws IOException {
    BuilderSpec spec = spec(List.of("-tags=netgo"), "-X main.v=1", true, Optional.of("abc"));
    assertEquals(List.of("go", "build", "-trimpath", "-buildvcs=auto", "-ldflags=-s -w -X main.v=1", "-tags=netgo",
        "-o", "/out/app", "."), argv(spec, true));
    assertEquals(List.of("go", "build", "-trimpath", "-buildvcs=false", "-o", "/out/app", "."),
        argv(spec(List.of(), "", false, Optional.empty()), false));
    // The user's own -buildvcs wins.
    assertFalse(argv(spec(List.of("-buildvcs=true"), "", true, Optional.empty()), false).contains("-buildvcs=false"));
  }

  @Test
  void vcsNeedsACheckoutAndGitOnThePath() throws IOException {
    Path bin = Files.createDirectories(project.resolve("bin"));
    assertFalse(GoBuildCommand.vcsOnThisMachine(spec(List.of(), "", true, Optional.of("abc")), bin.toString()));
    Path git = Files.writeString(bin.resolve("git"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertTrue(GoBuildCommand.vcsOnThisMachine(spec(List.of(), "", true, Optional.of("abc")), "/nonexistent:" + bin));
    assertFalse(GoBuildCommand.vcsOnThisMachine(spec(List.of(), "", true, Optional.empty()), bin.toString()));
  }
}
