package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoModuleTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "module x\\n\\ngo 1.26\\n                       | 1.26",
        "module x\\n\\ngo 1.26.3\\n                     | 1.26.3",
        "module x\\n\\ngo 1.26.3 // toolchain floor\\n  | 1.26.3",
        "module x\\n\\n  go   1.21  \\n                 | 1.21",
        "module x\\r\\n\\r\\ngo 1.22.1\\r\\n              | 1.22.1",
        "module x\\ngo 1.24\\ntoolchain go1.26.3\\n     | 1.24",
        "module x\\n                                  | ",
        "module x\\ntoolchain go1.26.3\\n             | ",
      })
  void readsTheGoLine(String content, String expected) throws IOException {
    Path mod = Files.writeString(dir.resolve("go.mod"), content.replace("\\n", "\n").replace("\\r", "\r"));
    assertEquals(Optional.ofNullable(expected), GoModule.goVersion(mod));
  }

  @Test
  void noFileNoVersion() {
    assertEquals(Optional.empty(), GoModule.goVersion(dir.resolve("go.mod")));
  }

  @Test
  void findWalksUpToTheGoverningGoMod() throws IOException {
    Files.writeString(dir.resolve("go.mod"), "module x\n\ngo 1.25\n");
    Path pkg = Files.createDirectories(dir.resolve("cmd/app"));
    assertEquals(Optional.of(dir.resolve("go.mod").toAbsolutePath()), GoModule.find(pkg));
  }

  @Test
  void findTakesTheNearestGoMod() throws IOException {
    Files.writeString(dir.resolve("go.mod"), "module outer\n");
    Path inner = Files.createDirectories(dir.resolve("tools/gen"));
    Files.writeString(inner.resolve("go.mod"), "module inner\n");
    Path pkg = Files.createDirectories(inner.resolve("cmd"));
    assertEquals(Optional.of(inner.resolve("go.mod").toAbsolutePath()), GoModule.find(pkg));
    assertEquals(Optional.of(inner.resolve("go.mod").toAbsolutePath()), GoModule.find(inner));
  }

  @Test
  void findIgnoresADirectoryNamedGoMod() throws IOException {
    Files.writeString(dir.resolve("go.mod"), "module x\n");
    Path pkg = Files.createDirectories(dir.resolve("sub"));
    Files.createDirectory(pkg.resolve("go.mod"));
    assertEquals(Optional.of(dir.resolve("go.mod").toAbsolutePath()), GoModule.find(pkg));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({", golang:1.26-alpine", "1.26.3, golang:1.26-alpine", "1.21, golang:1.21-alpine", "1.25.4, golang:1.25-alpine"})
  void defaultBuilderImageFollowsTheMinorRelease(String goVersion, String image) {
    assertEquals(image, GoModule.defaultBuilderImage(Optional.ofNullable(goVersion)));
  }

  @org.junit.jupiter.api.Test
  void theGoLineIsFoundWithItsNumber(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path goMod = java.nio.file.Files.writeString(dir.resolve("go.mod"), "module x\n\ngo 1.22.4 // minimum\n\nrequire y v1\n");
    org.junit.jupiter.api.Assertions.assertEquals(
        java.util.Optional.of(new GoModule.GoLine(3, "go 1.22.4 // minimum", "1.22.4")), GoModule.goLine(goMod));
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.empty(),
        GoModule.goLine(java.nio.file.Files.writeString(dir.resolve("other.mod"), "module x\n")));
  }
}
