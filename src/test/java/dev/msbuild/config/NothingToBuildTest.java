package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NothingToBuildTest {
  @TempDir Path dir;

  private NothingToBuild.Project parent(List<String> modules, boolean command, boolean java) {
    return new NothingToBuild.Project("parent", "pom", modules, dir, command, java, List.of(dir.resolve("src/main/java")));
  }

  @Test
  void aParentWithModulesAndNoSourcesIsSkippedSayingWhy() throws IOException {
    Files.writeString(dir.resolve("README.md"), "parent\n");
    Files.createDirectories(dir.resolve("src/main/java"));
    Files.writeString(dir.resolve("helper_test.go"), "package main\n"); // a test file is no main package
    String why = NothingToBuild.why(parent(List.of("go-a", "java-b"), false, false)).orElseThrow();
    assertTrue(why.startsWith("parent (packaging pom) is a parent of 2 module(s) (go-a, java-b) with nothing to build"), why);
    assertTrue(why.contains("no .go files in " + dir) && why.contains("<builder><mainPackage>"), why);
    assertTrue(why.contains("no Java sources (" + dir.resolve("src/main/java") + ")"), why);
  }

  @Test
  void anythingToBuildHereKeepsTheProject() throws IOException {
    assertEquals(Optional.empty(), NothingToBuild.why(parent(List.of(), false, false)), "no modules: a project to build");
    assertEquals(Optional.empty(), NothingToBuild.why(parent(List.of("a"), true, false)), "a builder command");
    assertEquals(Optional.empty(), NothingToBuild.why(parent(List.of("a"), false, true)), "<java> configured");
    Path java = Files.createDirectories(dir.resolve("src/main/java/dev/x"));
    Files.writeString(java.resolve("App.java"), "class App {}\n");
    assertEquals(Optional.empty(), NothingToBuild.why(parent(List.of("a"), false, false)), "Java sources");
    Files.delete(java.resolve("App.java"));
    assertTrue(NothingToBuild.why(parent(List.of("a"), false, false)).isPresent());
    Files.writeString(dir.resolve("main.go"), "package main\n");
    assertEquals(Optional.empty(), NothingToBuild.why(parent(List.of("a"), false, false)), "a Go main package");
  }
}
