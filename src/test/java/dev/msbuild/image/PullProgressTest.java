package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.RecordingLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullProgressTest {
  @Test
  void eachQuarterIsLoggedWhenItIsReachedThenDone() {
    RecordingLog log = new RecordingLog();
    PullProgress progress = new PullProgress("sha256:" + "cd".repeat(32), 40_000_000, log);
    progress.add(9_000_000);
    progress.add(2_000_000);
    progress.add(20_000_000);
    progress.add(9_000_000);
    progress.done();
    assertEquals("Pulling sha256:cdcdcdcdcdcd (40.00 MB)", log.lines().get(0));
    assertEquals(List.of(
        "  sha256:cdcdcdcdcdcd: 25% (11.00 MB of 40.00 MB)",
        "  sha256:cdcdcdcdcdcd: 50% (31.00 MB of 40.00 MB)",
        "  sha256:cdcdcdcdcdcd: 75% (31.00 MB of 40.00 MB)"), log.lines().subList(1, 4));
    assertEquals(true, log.lines().get(4).startsWith("  sha256:cdcdcdcdcdcd: 100% (40.00 MB) in "));
  }
}
