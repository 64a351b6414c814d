package dev.msbuild.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootPathsTest {
  @TempDir Path root;

  @Test
  void absoluteLinksResolveInsideTheRoot() throws IOException {
    Files.createDirectories(root.resolve("usr/local/go/bin"));
    Files.writeString(root.resolve("usr/local/go/bin/go"), "");
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("usr/bin/go"), Path.of("/usr/local/go/bin/go"));
    assertEquals(Optional.of(root.resolve("usr/local/go/bin/go")), RootPaths.resolve(root, "/usr/bin/go"));
  }

  @Test
  void relativeLinksAndDotDotStopAtTheRoot() throws IOException {
    Files.createDirectories(root.resolve("bin"));
    Files.writeString(root.resolve("bin/busybox"), "");
    Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("../../../../bin/busybox"));
    assertEquals(Optional.of(root.resolve("bin/busybox")), RootPaths.resolve(root, "/bin/sh"));
    assertEquals(Optional.of(root.resolve("bin/busybox")), RootPaths.resolve(root, "/../../bin/busybox"));
  }

  @Test
  void missingPathsAreEmpty() throws IOException {
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/nope/go"));
  }

  @Test
  void linkLoopsFail() throws IOException {
    Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
    assertThrows(IOException.class, () -> RootPaths.resolve(root, "/a/x"));
  }
}
