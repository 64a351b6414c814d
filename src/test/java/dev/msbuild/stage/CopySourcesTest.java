package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.msbuild.dockerfile.DockerIgnore;
import dev.msbuild.dockerfile.DockerfileParser;
import dev.msbuild.dockerfile.Instruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopySourcesTest {
  @TempDir Path context;

  private static final Instruction COPY = new Instruction(3, "COPY", List.of(), ". .", Optional.empty(), List.of());

  @Test
  void theContextLessTheIgnoredAndThePluginsOwnOutput() throws Exception {
    Files.writeString(context.resolve("main.go"), "package main");
    Files.createDirectories(context.resolve("sub"));
    Files.writeString(context.resolve("sub/b.txt"), "b");
    Files.writeString(context.resolve("build.log"), "log");
    Files.createDirectories(context.resolve("target/msbuild/dockerfile/root/usr"));
    Files.writeString(context.resolve("target/msbuild/dockerfile/root/usr/x"), "x");
    List<String> names = CopySources.fromContext(COPY, context, DockerIgnore.parse("*.log\n"), List.of("."),
        context.resolve("target/msbuild")).stream().map(CopySources.Source::relative).toList();
    assertEquals(List.of("main.go", "sub", "sub/b.txt", "target"), names);
  }

  @Test
  void wildcardsAndMissingFiles() throws Exception {
    Files.writeString(context.resolve("a.go"), "a");
    Files.writeString(context.resolve("b.go"), "b");
    Files.writeString(context.resolve("c.txt"), "c");
    List<String> names = CopySources.fromContext(COPY, context, DockerIgnore.NONE, List.of("*.go"), context.resolve("target"))
        .stream().map(CopySources.Source::name).toList();
    assertEquals(List.of("a.go", "b.go"), names);
    DockerfileParser.SyntaxError e = assertThrows(DockerfileParser.SyntaxError.class,
        () -> CopySources.fromContext(COPY, context, DockerIgnore.NONE, List.of("nope.go"), context.resolve("target")));
    assertEquals(3, e.line());
  }

  @Test
  void theKeyChangesWithContentAndMode() throws Exception {
    Files.writeString(context.resolve("a.go"), "a");
    String before = CopySources.digest(CopySources.fromContext(COPY, context, DockerIgnore.NONE, List.of("a.go"), context.resolve("t")));
    Files.writeString(context.resolve("a.go"), "b");
    String changed = CopySources.digest(CopySources.fromContext(COPY, context, DockerIgnore.NONE, List.of("a.go"), context.resolve("t")));
    assertNotEquals(before, changed);
    Files.setPosixFilePermissions(context.resolve("a.go"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    assertNotEquals(changed, CopySources.digest(CopySources.fromContext(COPY, context, DockerIgnore.NONE, List.of("a.go"),
        context.resolve("t"))));
  }
}
