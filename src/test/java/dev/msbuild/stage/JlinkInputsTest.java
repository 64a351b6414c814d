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
import dev.msbuild.config.JavaSpec;
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

class JlinkInputsTest {
  @TempDir Path project;

  private BuildPlan plan(List<String> modules, List<String> addModules) throws IOException {
    Path classes = Files.createDirectories(project.resolve("target/classes/com/example"));
    if (!Files.exists(classes.resolve("App.class"))) {
      Files.writeString(classes.resolve("App.class"), "v1");
    }
    Path lib = project.resolve("lib-1.0.jar");
    if (!Files.exists(lib)) {
      Files.writeString(lib, "jar v1");
    }
    JavaSpec java = new JavaSpec(JavaSpec.Mode.EXPLODED, "com.example.App", "<java><mainClass>", List.of(),
        project.resolve("target/classes"), Optional.empty(), List.of(new JavaSpec.Dependency(lib, "lib-1.0.jar", false)),
        Optional.of(new JavaSpec.Jlink(modules, addModules, "")), 17, List.of());
    BuilderSpec builder = new BuilderSpec(ImageName.parse("eclipse-temurin:25-jdk", null), BuilderSpec.Isolation.AUTO,
        BuilderSpec.SandboxTool.AUTO, Optional.empty(), List.of(), ".", "app", List.of(), "", Map.of(), true,
        Duration.ofSeconds(60), List.of(), BuilderSpec.UnpackLimits.DEFAULT);
    ContainerSpec container = new ContainerSpec(List.of(), List.of(), Map.of(), List.of(), Map.of(), null, null, List.of(),
        ImageFormat.DOCKER, Optional.empty());
    FinalStageSpec finalStage = new FinalStageSpec(List.of(), false, false, Optional.empty(), List.of(), List.of(), Optional.empty());
    return new BuildPlan(project, project.resolve("target/msbuild"), project.resolve("cache"), builder, Platform.LINUX_AMD64,
        Optional.empty(), Optional.empty(), List.of(), container, new RegistryOptions(false, Map.of()), "app:1", finalStage,
        RegistryAuth.none(null), RegistryAuth.none(null), TarFormat.DOCKER, List.of(Platform.LINUX_AMD64), Optional.of(java));
  }

  @Test
  void theImageTheSettingsAndWhatJdepsReadsMakeTheKey() throws IOException {
    BuildPlan plan = plan(List.of(), List.of());
    String key = JlinkInputs.key(plan, "sha256:a");
    assertEquals(key, JlinkInputs.key(plan, "sha256:a"));
    assertNotEquals(key, JlinkInputs.key(plan, "sha256:b"));
    assertNotEquals(key, JlinkInputs.key(plan(List.of(), List.of("jdk.localedata")), "sha256:a"));
    Files.writeString(project.resolve("target/classes/com/example/App.class"), "v2");
    String changedClass = JlinkInputs.key(plan, "sha256:a");
    assertNotEquals(key, changedClass);
    Files.writeString(project.resolve("lib-1.0.jar"), "jar v2");
    assertNotEquals(changedClass, JlinkInputs.key(plan, "sha256:a"));
    // Modules listed: jdeps does not run, so the application's files do not change the runtime.
    BuildPlan listed = plan(List.of("java.base"), List.of());
    String listedKey = JlinkInputs.key(listed, "sha256:a");
    Files.writeString(project.resolve("target/classes/com/example/App.class"), "v3");
    assertEquals(listedKey, JlinkInputs.key(listed, "sha256:a"));
  }

  @Test
  void aRuntimeInAStageCacheEntryIsReadBackWholeOrNotAtAll() throws IOException {
    BuildPlan plan = plan(List.of(), List.of());
    String key = JlinkInputs.key(plan, "sha256:a");
    assertEquals("jlink-" + key.substring("sha256:".length()), JlinkInputs.stageKey(key));
    Path home = Files.createDirectories(project.resolve("linked/runtime/bin"));
    Files.writeString(home.resolve("java"), "elf");
    Files.setPosixFilePermissions(home.resolve("java"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(home.resolve("jrunscript"), Path.of("java"));
    JavaRuntime runtime = new JavaRuntime(home.getParent(), List.of("java.base", "java.sql"), "25.0.3", "eclipse-temurin:25-jdk@sha256:x",
        Optional.of("/lib64/ld-linux-x86-64.so.2"), List.of("libc.so.6", "libz.so.1"), List.of());
    dev.msbuild.cache.LocalStageCache cache = new dev.msbuild.cache.LocalStageCache(project.resolve("stages"), 1 << 20);
    dev.msbuild.cache.StageCache.Entry entry = cache.put(JlinkInputs.stageKey(key), dir -> JlinkInputs.write(dir, runtime));
    Path cachedHome = entry.directory().resolve("runtime");
    assertEquals(Optional.of(runtime.withHome(cachedHome)), JlinkInputs.read(entry.directory()));
    assertTrue(Files.isExecutable(cachedHome.resolve("bin/java")));
    assertEquals(Path.of("java"), Files.readSymbolicLink(cachedHome.resolve("bin/jrunscript")));
    Files.delete(cachedHome.resolve("bin/java"));
    assertTrue(JlinkInputs.read(entry.directory()).isEmpty(), "no bin/java: not a runtime");
  }
}
