package dev.msbuild.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.BuildLog;
import dev.msbuild.oci.Digest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushProgressTest {
  private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));

  private static BuildLog into(List<String> lines) {
    return new BuildLog() {
      @Override
      public void info(String message) {
        lines.add(message);
      }

      @Override
      public void warn(String message) {
        lines.add("WARN " + message);
      }

      @Override
      public void debug(String message) {}
    };
  }

  @Test
  void aLargeUploadIsLoggedAtEachQuarterOnceEvenWhenRetried() {
    List<String> lines = new ArrayList<>();
    long size = 40_000_000;
    PushProgress progress = new PushProgress(DIGEST, size, into(lines));
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
        "  pushing sha256:abababababab: 75% (39.00 MB of 40.00 MB)"), lines);
  }

  @Test
  void aSmallUploadIsNotLoggedHere() {
    List<String> lines = new ArrayList<>();
    PushProgress progress = new PushProgress(DIGEST, PushProgress.LARGE - 1, into(lines));
    progress.accept(PushProgress.LARGE - 1);
    assertEquals(List.of(), lines);
  }
}
