package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.RecordingLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnpackProgressTest {
  @Test
  void aLargeLayerIsLoggedAtEachQuarterOfItsBytes() throws IOException {
    RecordingLog log = new RecordingLog();
    int size = (int) UnpackProgress.LARGE * 2;
    try (InputStream in = new UnpackProgress(new ByteArrayInputStream(new byte[size]), "layer 2 of 2", size, log)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertEquals(List.of(
        "  unpacking layer 2 of 2: 25% (8.39 MB of 33.55 MB compressed)",
        "  unpacking layer 2 of 2: 50% (16.78 MB of 33.55 MB compressed)",
        "  unpacking layer 2 of 2: 75% (25.17 MB of 33.55 MB compressed)"), log.lines());
  }

  @Test
  void aSmallLayerIsNotLoggedHere() throws IOException {
    RecordingLog log = new RecordingLog();
    try (InputStream in = new UnpackProgress(new ByteArrayInputStream(new byte[1000]), "layer 1 of 1", 1000, log)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertEquals(List.of(), log.lines());
  }
}
