package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LeftoversAsNonRoot} in a child JVM that is not root: run as uid/gid 65534 through
 * {@code setpriv} when these tests run as root, as the current user otherwise. Its class path is
 * copied where that user can read it.
 */
class LeftoversAsNonRootTest {
  @TempDir Path temp;

  @Test
  void leftoversUnderTargetNeitherBreakHashingNorCleanupNorHideTheBuildError() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("world"));
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> command = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
    }
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", readableClassPath(),
        LeftoversAsNonRoot.class.getName(), dir.toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    child.getOutputStream().close();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
    assertEquals(0, child.exitValue(), output);
    assertEquals(List.of("OK hashing skips target/", "OK cleanup removes overlay work dirs",
        "OK cleanup never replaces the build's error", "OK an unreadable source directory is named"),
        output.lines().filter(l -> l.startsWith("OK ")).toList(), output);
  }

  /** This JVM's class path, its jars and directories copied into the world-readable temp dir. */
  private String readableClassPath() throws IOException {
    Path cp = Files.createDirectories(temp.resolve("cp"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = cp.resolve(n++ + "-" + from.getFileName());
      if (Files.isDirectory(from)) {
        try (var walk = Files.walk(from)) {
          for (Path p : (Iterable<Path>) walk::iterator) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(target);
            } else {
              Files.copy(p, target);
            }
          }
        }
      } else {
        Files.copy(from, to);
      }
      entries.add(to.toString());
    }
    try (var walk = Files.walk(cp)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
