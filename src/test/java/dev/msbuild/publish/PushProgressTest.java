package dev.msbuild.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.RecordingLog;
import dev.msbuild.oci.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushProgressTest {
  private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));

  @Test
  void aLargeUploadIsLoggedAtEachQuarterOnceEvenWhenRetried() {
    RecordingLog log = new RecordingLog();
    long size = 40_000_000;
    PushProgress progress = new PushProgress(DIGEST, size, log);
    progress.accept(5_000_000);
    progress.accept(10_000_000);
    progress.accept(21_000_000);
    // The upload failed and is sent again from the start: no quarter twice, none backwards.
    progress.accept(1_000_000);
    progress.accept(20_000_000);
    progress.accept(39_000_000);
    progress.accept(size);
    assertEquals(List.of(
        "  pushing sha256:abababababab: 25% (10.00 MB of 40.00 MB)",
        "  pushing sha256:abababababab: 50% (21.00 MB of 40.00 MB)",
        "  pushing sha256:abababababab: 75% (39.00 MB of 40.00 MB)"), log.lines());
  }

  @Test
  void aSmallUploadIsNotLoggedHere() {
    RecordingLog log = new RecordingLog();
    PushProgress progress = new PushProgress(DIGEST, PushProgress.LARGE - 1, log);
    progress.accept(PushProgress.LARGE - 1);
    assertEquals(List.of(), log.lines());
  }
}
