package dev.msbuild.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootPathsTest {
  @TempDir Path temp;
  Path root;
  Path outside;

  @BeforeEach
  void dirs() throws IOException {
    root = Files.createDirectory(temp.resolve("root"));
    outside = Files.createDirectory(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "host");
  }

  @Test
  void plainPathsResolveToThemselves() throws IOException {
    Path go = file("usr/local/go/bin/go");
    assertEquals(Optional.of(go), RootPaths.resolve(root, "/usr/local/go/bin/go"));
    assertEquals(Optional.of(go), RootPaths.resolve(root, "usr/local/./go//bin/go"));
    assertEquals(Optional.of(root), RootPaths.resolve(root, "/"));
  }

  @Test
  void absoluteLinksResolveInsideTheRoot() throws IOException {
    Path go = file("usr/local/go/bin/go");
    link("usr/bin/go", "/usr/local/go/bin/go");
    assertEquals(Optional.of(go), RootPaths.resolve(root, "/usr/bin/go"));
  }

  @Test
  void relativeLinksResolveFromTheirDirectory() throws IOException {
    Path go = file("usr/local/go/bin/go");
    link("usr/bin/go", "../local/go/bin/go");
    assertEquals(Optional.of(go), RootPaths.resolve(root, "/usr/bin/go"));
  }

  @Test
  void linkedDirectoriesAndChainsAreFollowed() throws IOException {
    Path libc = file("usr/lib/libc.so");
    link("lib", "usr/lib");
    link("usr/lib/libc.so.6", "/lib/libc.so");
    assertEquals(Optional.of(libc), RootPaths.resolve(root, "/lib/libc.so"));
    assertEquals(Optional.of(libc), RootPaths.resolve(root, "/lib/libc.so.6"));
    // ".." after a link leaves the link's target, as the kernel resolves it.
    assertEquals(Optional.of(root.resolve("usr")), RootPaths.resolve(root, "/lib/.."));
  }

  @Test
  void dotDotPastTheRootStaysAtTheRoot() throws IOException {
    Path busybox = file("bin/busybox");
    link("bin/sh", "../../../../bin/busybox");
    assertEquals(Optional.of(busybox), RootPaths.resolve(root, "/bin/sh"));
    assertEquals(Optional.of(busybox), RootPaths.resolve(root, "/../../bin/busybox"));
    assertEquals(Optional.of(root), RootPaths.resolve(root, "/../.."));
  }

  @Test
  void linksNeverLeadToTheHost() throws IOException {
    link("abs", outside.resolve("secret").toString());
    link("rel", "../outside/secret");
    link("dir", "../../" + temp.getFileName() + "/outside");
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/abs"));
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/rel"));
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/dir/secret"));
    Path inside = file("outside/secret");
    assertEquals(Optional.of(inside), RootPaths.resolve(root, "/rel"));
  }

  @Test
  void missingPathsAreEmpty() throws IOException {
    file("etc/passwd");
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/nope/go"));
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/etc/passwd/x"));
    link("dangling", "/nowhere");
    assertEquals(Optional.empty(), RootPaths.resolve(root, "/dangling"));
  }

  @Test
  void linkLoopsFail() throws IOException {
    link("a", "/b");
    link("b", "/a");
    link("self", "self");
    IOException e = assertThrows(IOException.class, () -> RootPaths.resolve(root, "/a/x"));
    assertTrue(e.getMessage().contains("/a/x"), e.getMessage());
    assertThrows(IOException.class, () -> RootPaths.resolve(root, "/self"));
  }

  private Path file(String path) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, path);
  }

  private void link(String path, String target) throws IOException {
    Path link = root.resolve(path);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, Path.of(target));
  }
}
