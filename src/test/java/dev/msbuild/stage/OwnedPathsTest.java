package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedPathsTest {
  @TempDir Path dir;

  /** A process that ran and is gone: its pid and start time, taken while it ran. */
  static ProcessStamp deadProcess() throws Exception {
    Process process = new ProcessBuilder("sleep", "0.3").start();
    ProcessStamp stamp = ProcessStamp.of(process.pid()).orElseThrow();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));
    assertTrue(!stamp.running(), "pid " + stamp.pid() + " still runs");
    return stamp;
  }

  /** pid 1 runs, but not since the start time this stamp claims: its pid was "reused". */
  static ProcessStamp reusedPid() {
    ProcessStamp init = ProcessStamp.of(1).orElseThrow();
    return new ProcessStamp(1, init.startTicks() + 12345);
  }

  @Test
  void freshNamesAreThisJvmsAndDiffer() {
    Path a = OwnedPaths.fresh(dir, ".tmp-", "-out");
    Path b = OwnedPaths.fresh(dir, ".tmp-", "-out");
    assertNotEquals(a, b);
    assertTrue(a.getFileName().toString().startsWith(".tmp-" + ProcessStamp.current().text() + "-"), a.toString());
    assertTrue(a.getFileName().toString().endsWith("-out"));
    assertEquals(ProcessStamp.current(), ProcessStamp.parse(a.getFileName().toString().substring(5)).orElseThrow());
    assertTrue(ProcessStamp.current().running());
  }

  @Test
  void removesWhatBuildsThatNoLongerRunLeftAndNothingElse() throws Exception {
    Path dead = Files.createDirectories(dir.resolve(".tmp-" + deadProcess().text() + "-0a0b0c0d-sandbox/upper/usr"));
    Files.writeString(dead.resolve("file"), "x");
    Path reused = Files.writeString(dir.resolve(".tmp-" + reusedPid().text() + "-01020304-app.part"), "half a binary");
    Path live = Files.createDirectory(dir.resolve(".tmp-" + ProcessStamp.of(1).orElseThrow().text() + "-05060708-out"));
    Path mine = OwnedPaths.createDirectory(dir, ".tmp-", "-out");
    Path claimedByLive = Files.createDirectory(dir.resolve(".tmp-" + deadProcess().text() + "-0e0f1011-out.removing-"
        + ProcessStamp.of(1).orElseThrow().text()));
    Path other = Files.writeString(dir.resolve(".tmp-notes"), "not ours");
    Path artifact = Files.writeString(dir.resolve("app"), "binary");

    List<OwnedPaths.Removed> removed = OwnedPaths.removeAbandoned(dir, ".tmp-");

    assertEquals(Set.of(reused, dead.getParent().getParent()), removed.stream().map(OwnedPaths.Removed::path).collect(Collectors.toSet()));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(live, mine, claimedByLive, other, artifact).stream().sorted().toList(), left.sorted().toList());
    }
  }
}
