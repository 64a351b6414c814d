package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.BuildLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnpackProgressTest {
  private static BuildLog into(List<String> lines) {
    return new BuildLog() {
      @Override
      public void info(String message) {
        lines.add(message);
      }

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }

  @Test
  void aLargeLayerIsLoggedAtEachQuarterOfItsBytes() throws IOException {
    List<String> lines = new ArrayList<>();
    int size = (int) UnpackProgress.LARGE * 2;
    try (InputStream in = new UnpackProgress(new ByteArrayInputStream(new byte[size]), "layer 2 of 2", size, into(lines))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertEquals(List.of(
        "  unpacking layer 2 of 2: 25% (8.39 MB of 33.55 MB compressed)",
        "  unpacking layer 2 of 2: 50% (16.78 MB of 33.55 MB compressed)",
        "  unpacking layer 2 of 2: 75% (25.17 MB of 33.55 MB compressed)"), lines);
  }

  @Test
  void aSmallLayerIsNotLoggedHere() throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = new UnpackProgress(new ByteArrayInputStream(new byte[1000]), "layer 1 of 1", 1000, into(lines))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertEquals(List.of(), lines);
  }
}
