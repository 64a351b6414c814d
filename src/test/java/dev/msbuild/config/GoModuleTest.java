package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoModuleTest {
  @TempDir Path dir;

  @Test
  void readsTheGoLine() throws IOException {
    Path mod = Files.writeString(dir.resolve("go.mod"), "module x\n\ngo 1.26.3 // toolchain floor\n\nrequire y v1.0.0\n");
    assertEquals(Optional.of("1.26.3"), GoModule.goVersion(mod));
  }

  @Test
  void findsTheGoverningGoModUpwards() throws IOException {
    Files.writeString(dir.resolve("go.mod"), "module x\n\ngo 1.25\n");
    Path pkg = Files.createDirectories(dir.resolve("cmd/app"));
    assertEquals(Optional.of(dir.resolve("go.mod").toAbsolutePath()), GoModule.find(pkg));
  }

  @Test
  void defaultBuilderImageFollowsTheMinorRelease() {
    assertEquals("golang:1.26-alpine", GoModule.defaultBuilderImage(Optional.empty()));
    assertEquals("golang:1.26-alpine", GoModule.defaultBuilderImage(Optional.of("1.26.3")));
    assertEquals("golang:1.21-alpine", GoModule.defaultBuilderImage(Optional.of("1.21")));
  }
}
