package dev.msbuild.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoBuildInfoTest {
  @TempDir Path dir;

  /** A program this machine's go builds: its build info read back from the binary, as go version -m prints it. */
  @Test
  void readsTheBuildInfoOfARealProgram() throws Exception {
    Files.writeString(dir.resolve("go.mod"), "module example.com/hello\n\ngo 1.21\n");
    Files.writeString(dir.resolve("main.go"), "package main\n\nfunc main() { println(\"hi\") }\n");
    Process go = new ProcessBuilder("go", "build", "-trimpath", "-o", "hello", ".").directory(dir.toFile())
        .redirectErrorStream(true).start();
    String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, go.waitFor(), out);
    Process version = new ProcessBuilder("go", "env", "GOVERSION").start();
    String goVersion = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    version.waitFor();

    GoBuildInfo info = GoBuildInfo.parse(Files.readAllBytes(dir.resolve("hello"))).orElseThrow();
    assertEquals(goVersion, info.goVersion());
    assertEquals("example.com/hello", info.path());
    assertEquals("example.com/hello", info.main().path());
    assertEquals("(devel)", info.main().version());
    assertEquals("true", info.settings().get("-trimpath"));
    assertTrue(info.dependencies().isEmpty());
  }

  @Test
  void anotherFileHasNone() throws Exception {
    Path file = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
    assertEquals(Optional.empty(), GoBuildInfo.parse(Files.readAllBytes(file)));
  }

  @Test
  void replacementsApplyToTheModuleBeforeThem() {
    GoBuildInfo info = GoBuildInfo.fromModinfo("go1.26.8", String.join("\n",
        "path\texample.com/app", "mod\texample.com/app\tv1.2.0\t",
        "dep\tgolang.org/x/text\tv0.3.0\th1:a=", "=>\t../text\t(devel)\t",
        "dep\tgithub.com/google/uuid\tv1.6.0\th1:b=", "build\tvcs.revision=0123456789abcdef0123", "build\tvcs.time=2026-01-02T03:04:05Z"));
    assertEquals(List.of("golang.org/x/text", "github.com/google/uuid"), info.dependencies().stream().map(GoBuildInfo.Module::path).toList());
    assertEquals("../text", info.dependencies().get(0).effective().path());
    assertEquals("github.com/google/uuid", info.dependencies().get(1).effective().path());
    assertEquals("v1.2.0", info.mainVersion());
  }

  @Test
  void aCheckoutBuildGetsGosPseudoVersion() {
    GoBuildInfo info = GoBuildInfo.fromModinfo("go1.26.8", String.join("\n", "path\texample.com/app", "mod\texample.com/app\t(devel)\t",
        "build\tvcs.revision=ccab93c39bea0f382fb5d6a8e52e6ce2ee372d0f", "build\tvcs.time=2026-12-02T13:42:16Z"));
    assertEquals("v0.0.0-20261202134216-ccab93c39bea", info.mainVersion());
  }
}
