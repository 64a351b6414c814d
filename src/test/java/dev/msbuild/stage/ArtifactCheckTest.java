package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.ContainerSpec;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import dev.msbuild.config.TarFormat;
import dev.msbuild.image.AppLayer;
import dev.msbuild.image.DynamicLinking;
import dev.msbuild.image.ImageFiles;
import dev.msbuild.image.LayerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact check on real binaries, compiled here by this machine's go: a static program, a
 * cgo one (linked against this machine's glibc), one for arm64 and the archive go build writes for
 * a package that is not main; checked against fake bases made of layers.
 */
class ArtifactCheckTest {
  private static final Platform ARM64 = new Platform("linux", "arm64", null);

  @TempDir static Path work;
  private static Path staticProgram;
  private static Path cgoProgram;
  private static Path arm64Program;
  private static Path archive;

  @TempDir Path dir;
  private int layers;

  @BeforeAll
  static void compile() throws Exception {
    Path module = Files.createDirectories(work.resolve("module"));
    Files.writeString(module.resolve("go.mod"), "module example.com/check\n\ngo 1.21\n");
    Files.createDirectories(module.resolve("hello"));
    Files.writeString(module.resolve("hello/main.go"), "package main\n\nfunc main() { println(\"hello\") }\n");
    Files.createDirectories(module.resolve("cgo"));
    Files.writeString(module.resolve("cgo/main.go"),
        "package main\n\n// #include <stdio.h>\n// static void hi(void) { puts(\"hi\"); }\nimport \"C\"\n\nfunc main() { C.hi() }\n");
    Files.createDirectories(module.resolve("lib"));
    Files.writeString(module.resolve("lib/lib.go"), "package lib\n\nfunc Answer() int { return 42 }\n");
    staticProgram = go(module, "static", "./hello", "CGO_ENABLED", "0", "GOARCH", "amd64");
    cgoProgram = go(module, "cgo", "./cgo", "CGO_ENABLED", "1", "GOARCH", "amd64");
    arm64Program = go(module, "arm64", "./hello", "CGO_ENABLED", "0", "GOARCH", "arm64");
    archive = go(module, "lib", "./lib", "CGO_ENABLED", "0", "GOARCH", "amd64");
  }

  private static Path go(Path module, String output, String pkg, String... env) throws Exception {
    Path go = Sandboxes.onPath("go").orElseThrow(() -> new IllegalStateException("these tests need go on the PATH"));
    Path out = work.resolve(output);
    ProcessBuilder build = new ProcessBuilder(go.toString(), "build", "-o", out.toString(), pkg).directory(module.toFile())
        .redirectErrorStream(true);
    build.environment().put("GOOS", "linux");
    build.environment().put("GOTOOLCHAIN", "local");
    build.environment().put("GOFLAGS", "-trimpath");
    for (int i = 0; i < env.length; i += 2) {
      build.environment().put(env[i], env[i + 1]);
    }
    Process process = build.start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("go build " + pkg + " failed:\n" + log);
    }
    return out;
  }

  // --- plans ---------------------------------------------------------------------------------

  private static BuildPlan plan(Platform platform, Optional<String> command, BuilderSpec.Isolation isolation, Map<String, String> env) {
    BuilderSpec builder = new BuilderSpec(ImageName.parse("golang:1.26-alpine", null), isolation, BuilderSpec.SandboxTool.AUTO,
        command, command.isPresent() ? List.of("/out/app") : List.of(), "./lib", "app", List.of(), "-s -w", env, true,
        Duration.ofSeconds(60), List.of(), BuilderSpec.UnpackLimits.DEFAULT);
    ContainerSpec container = new ContainerSpec(List.of(), List.of(), Map.of(), List.of(), Map.of(), null, null, List.of(),
        ImageFormat.DOCKER, Optional.empty());
    return new BuildPlan(work, work.resolve("target/msbuild"), work.resolve("cache"), builder, platform, Optional.empty(),
        Optional.empty(), List.of(), container, new RegistryOptions(false, Map.of()), "app:1", FinalStageSpec.NONE,
        RegistryAuth.none(null), RegistryAuth.none(null), TarFormat.DOCKER, List.of(platform), Optional.empty());
  }

  private static BuildPlan goBuild() {
    return plan(Platform.LINUX_AMD64, Optional.empty(), BuilderSpec.Isolation.AUTO, Map.of());
  }

  private static BuildPlan commandBuild() {
    return plan(Platform.LINUX_AMD64, Optional.of("make"), BuilderSpec.Isolation.SANDBOX, Map.of());
  }

  private static ArtifactCheck check(BuildPlan plan, Path... files) {
    List<Artifact> artifacts = new ArrayList<>();
    for (Path file : files) {
      artifacts.add(new Artifact(file, file.getFileName().toString(), plan.platform()));
    }
    return ArtifactCheck.inspect(plan, artifacts, "/app/" + artifacts.get(0).name(), Setting.PLATFORM);
  }

  // --- fake bases ----------------------------------------------------------------------------

  private static LayerEntry file(String path) {
    return new LayerEntry.BytesEntry(path, new byte[] {1}, 0755, Owner.ROOT);
  }

  private static LayerEntry text(String path, String content) {
    return new LayerEntry.BytesEntry(path, content.getBytes(StandardCharsets.UTF_8), 0644, Owner.ROOT);
  }

  private static LayerEntry link(String path, String target) {
    return new LayerEntry.SymlinkEntry(path, target, Owner.ROOT);
  }

  /** A base as the final stage reads it: one layer, with the loader's configuration kept. */
  private ImageFiles base(LayerEntry... entries) throws IOException {
    Path layer = AppLayer.writeEntries(List.of(entries), dir.resolve("layer" + (layers++) + ".tar.gz")).file();
    return ImageFiles.read(List.of(layer), DynamicLinking::isLoaderConfig, ImageFiles.Limits.DEFAULT);
  }

  private ImageFiles alpine() throws IOException {
    return base(file("/lib/ld-musl-x86_64.so.1"), link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"), file("/bin/busybox"),
        link("/bin/sh", "/bin/busybox"));
  }

  /** Debian's usrmerged layout: /lib64 and /lib links into /usr. */
  private ImageFiles debian(LayerEntry... more) throws IOException {
    List<LayerEntry> entries = new ArrayList<>(List.of(
        link("/lib64", "usr/lib64"), link("/lib", "usr/lib"),
        link("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        file("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")));
    entries.addAll(List.of(more));
    return base(entries.toArray(LayerEntry[]::new));
  }

  private static ImageFiles withArtifacts(ImageFiles image, Path... artifacts) {
    List<LayerEntry> entries = new ArrayList<>();
    for (Path a : artifacts) {
      entries.add(new LayerEntry.FileEntry("/app/" + a.getFileName(), a, 0755, Owner.ROOT));
    }
    return image.with(entries);
  }

  // --- the checks ----------------------------------------------------------------------------

  @Test
  void aStaticProgramPassesOnScratch() {
    ArtifactCheck check = check(goBuild(), staticProgram);
    assertFalse(check.needsImageFiles());
    assertEquals(List.of("Artifact check: static is a static ELF x86-64 executable"),
        check.against(withArtifacts(ImageFiles.EMPTY, staticProgram), "scratch", Map.of()));
  }

  @Test
  void aGlibcProgramOnScratchIsRefusedWithTheFixes() {
    ArtifactCheck check = check(plan(Platform.LINUX_AMD64, Optional.empty(), BuilderSpec.Isolation.HOST, Map.of("CGO_ENABLED", "1")),
        cgoProgram);
    assertTrue(check.needsImageFiles());
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> check.against(withArtifacts(ImageFiles.EMPTY, cgoProgram), "scratch", Map.of()));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains("dynamically linked against glibc (its loader is /lib64/ld-linux-x86-64.so.2)")
        && e.getMessage().contains("the base scratch has no C library loader at all")
        && e.getMessage().contains("this machine's go and C toolchain") && e.getMessage().contains("CGO_ENABLED=1"), e.getMessage());
    assertTrue(e.fix().contains("CGO_ENABLED=0") && e.fix().contains("<builder><isolation> sandbox")
        && e.fix().contains("debian:12-slim"), e.fix());
  }

  @Test
  void aGlibcProgramOnAlpineIsRefusedSayingTheBaseHasMuslOnly() throws IOException {
    ImageFiles alpine = withArtifacts(alpine(), cgoProgram);
    MsbuildException e = assertThrows(MsbuildException.class, () -> check(goBuild(), cgoProgram).against(alpine, "alpine:3.20", Map.of()));
    assertTrue(e.getMessage().contains("the base alpine:3.20 has musl only (/lib/ld-musl-x86_64.so.1)"), e.getMessage());
  }

  @Test
  void aGlibcProgramOnAGlibcBaseNeedsItsLibrariesWhereTheLoaderLooks() throws IOException {
    ArtifactCheck check = check(goBuild(), cgoProgram);
    ImageFiles complete = withArtifacts(debian(file("/usr/lib/x86_64-linux-gnu/libc.so.6")), cgoProgram);
    assertEquals(List.of("Artifact check: cgo is a dynamically linked ELF x86-64 executable (glibc); the image has its loader "
        + "/lib64/ld-linux-x86-64.so.2 and libc.so.6"), check.against(complete, "debian:12", Map.of()));

    MsbuildException e = assertThrows(MsbuildException.class,
        () -> check.against(withArtifacts(debian(), cgoProgram), "debian:12", Map.of()));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains("needs libc.so.6, which the image"), e.getMessage());

    // Where the image's ld.so.conf.d or LD_LIBRARY_PATH says, or copied in by this build: found.
    check.against(withArtifacts(debian(text("/etc/ld.so.conf.d/opt.conf", "# vendor\n/opt/glibc/lib\n"), file("/opt/glibc/lib/libc.so.6")),
        cgoProgram), "debian:12", Map.of());
    check.against(withArtifacts(debian(file("/srv/lib/libc.so.6")), cgoProgram), "debian:12", Map.of("LD_LIBRARY_PATH", "/srv/lib"));
    check.against(withArtifacts(debian().with(List.of(file("/usr/local/lib/libc.so.6"))), cgoProgram), "debian:12", Map.of());
  }

  @Test
  void aProgramForAnotherMachineIsRefusedNamingThePlatform() {
    MsbuildException e = assertThrows(MsbuildException.class, () -> check(goBuild(), arm64Program));
    assertEquals(Optional.of(Setting.PLATFORM), e.setting());
    assertTrue(e.getMessage().contains("an ELF program for arm64 (AArch64), but the image is for linux/amd64"), e.getMessage());
    assertTrue(e.fix().contains("linux/arm64"), e.fix());

    BuildPlan command = commandBuild();
    MsbuildException several = assertThrows(MsbuildException.class, () -> ArtifactCheck.inspect(command,
        List.of(new Artifact(arm64Program, "app", command.platform())), "/app/app", Setting.PLATFORMS));
    assertEquals(Optional.of(Setting.PLATFORMS), several.setting());
    assertTrue(several.getMessage().contains("gets no GOOS or GOARCH"), several.getMessage());

    BuildPlan goarch = plan(Platform.LINUX_AMD64, Optional.empty(), BuilderSpec.Isolation.AUTO, Map.of("GOARCH", "arm64"));
    assertTrue(assertThrows(MsbuildException.class, () -> check(goarch, arm64Program)).getMessage().contains("sets GOARCH=arm64"));

    ArtifactCheck right = check(plan(ARM64, Optional.empty(), BuilderSpec.Isolation.AUTO, Map.of()), arm64Program);
    assertEquals(List.of("Artifact check: arm64 is a static ELF AArch64 executable"),
        right.against(withArtifacts(ImageFiles.EMPTY, arm64Program), "scratch", Map.of()));
  }

  @Test
  void theArchiveOfAPackageThatIsNotMainIsRefusedNamingTheMainPackage() throws IOException {
    assertTrue(new String(Files.readAllBytes(archive), 0, 8, StandardCharsets.ISO_8859_1).equals("!<arch>\n"));
    MsbuildException e = assertThrows(MsbuildException.class, () -> check(goBuild(), archive));
    assertEquals(Optional.of(Setting.BUILDER_MAIN_PACKAGE), e.setting());
    assertTrue(e.getMessage().startsWith("The main package ./lib is not a `package main`"), e.getMessage());
    assertTrue(e.getMessage().contains("<builder><mainPackage> (-Dmsbuild.builder.mainPackage)"), e.getMessage());
  }

  @Test
  void theArtifactAtItsArtifactPathIsTheEntrypointThatMustBeAProgram() throws IOException {
    BuildPlan go = goBuild();
    FinalStageSpec placed = new FinalStageSpec(List.of(), false, false, Optional.empty(), List.of(), List.of(),
        Optional.of("/bin/tool"));
    BuildPlan plan = new BuildPlan(go.sourceDirectory(), go.outputDirectory(), go.cacheDirectory(), go.builder(), go.platform(),
        Optional.empty(), Optional.empty(), List.of(), go.container(), go.registries(), "app:1", placed, go.fromAuth(),
        go.toAuth(), TarFormat.DOCKER, List.of(go.platform()), Optional.empty());
    Path data = Files.writeString(dir.resolve("tool"), "not a program\n");
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> ArtifactCheck.inspect(plan, List.of(new Artifact(data, "tool", plan.platform())), "/bin/tool", Setting.PLATFORM));
    assertTrue(e.getMessage().contains("(/bin/tool, the container's entrypoint)"), e.getMessage());
    // At /app/tool it would not be the entrypoint /bin/tool names, so a data file passes there.
    ArtifactCheck.inspect(goBuild(), List.of(new Artifact(data, "tool", plan.platform())), "/bin/tool", Setting.PLATFORM);
  }

  @Test
  void aCommandsEntrypointMustBeAProgramItsOtherOutputsNeedNot() throws IOException {
    Path data = Files.writeString(dir.resolve("LICENSE"), "Apache License\n");
    MsbuildException e = assertThrows(MsbuildException.class, () -> check(commandBuild(), data, staticProgram));
    assertEquals(Optional.of(Setting.BUILDER_OUTPUTS), e.setting());
    assertTrue(e.getMessage().contains("is data (it starts with the bytes 41 70 61 63)"), e.getMessage());
    assertEquals(Optional.of(Setting.BUILDER_OUTPUTS),
        assertThrows(MsbuildException.class, () -> check(commandBuild(), archive)).setting());

    List<String> lines = check(commandBuild(), staticProgram, data, archive)
        .against(withArtifacts(ImageFiles.EMPTY, staticProgram, data, archive), "scratch", Map.of());
    assertEquals(3, lines.size());
    assertTrue(lines.get(1).contains("LICENSE is data") && lines.get(1).contains("not the entrypoint"), lines.get(1));
    assertTrue(lines.get(2).contains("lib is an ar archive"), lines.get(2));
  }

  @Test
  void aScriptNeedsItsInterpreterInTheImage() throws IOException {
    Path script = Files.writeString(dir.resolve("greet"), "#!/bin/sh\necho hi\n");
    ArtifactCheck check = check(commandBuild(), script);
    assertTrue(check.needsImageFiles());
    MsbuildException e = assertThrows(MsbuildException.class, () -> check.against(withArtifacts(ImageFiles.EMPTY, script), "scratch", Map.of()));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains("a script for /bin/sh") && e.getMessage().contains("scratch has no files at all"), e.getMessage());
    assertEquals(List.of("Artifact check: greet is a #! script; the image has its interpreter /bin/sh"),
        check.against(withArtifacts(alpine(), script), "alpine:3.20", Map.of()));
  }

  @Test
  void withoutAnImageTheLinesSayWhatWasLeftForTheImage() {
    assertEquals(List.of("Artifact check: cgo is a dynamically linked ELF x86-64 executable (glibc); what it needs from a base is "
        + "checked when an image is built"), check(goBuild(), cgoProgram).withoutImage());
  }
}
