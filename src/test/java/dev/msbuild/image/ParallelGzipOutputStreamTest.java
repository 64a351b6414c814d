package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
  @TempDir Path dir;

  private static byte[] data(int size, long seed) {
    // Half random, half text-like, as a binary is: some of it compresses, some does not.
    Random random = new Random(seed);
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (i / 4096) % 2 == 0 ? (byte) random.nextInt(256) : (byte) ("abcdefgh".charAt(random.nextInt(8)));
    }
    return bytes;
  }

  private static byte[] gzip(byte[] data, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(out)) {
      for (int i = 0; i < data.length; i += chunk) {
        gzip.write(data, i, Math.min(chunk, data.length - i));
      }
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, ParallelGzipOutputStream.BLOCK - 1, ParallelGzipOutputStream.BLOCK, ParallelGzipOutputStream.BLOCK + 1,
      7 * ParallelGzipOutputStream.BLOCK + 17})
  void readsBackAsWrittenAndTheSystemGzipAgrees(int size) throws Exception {
    byte[] data = data(size, size);
    byte[] compressed = gzip(data, 8191);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertArrayEquals(data, in.readAllBytes());
    }
    Path file = Files.write(dir.resolve("x.gz"), compressed);
    Process gzipTest = new ProcessBuilder("gzip", "-t", file.toString()).redirectErrorStream(true).start();
    assertEquals(0, gzipTest.waitFor(), new String(gzipTest.getInputStream().readAllBytes()));
  }

  @Test
  void theBytesDependOnTheDataAloneAndCostLittleOverOneStream() throws Exception {
    byte[] data = data(6 << 20, 42);
    byte[] one = gzip(data, 1 << 16);
    byte[] two = gzip(data, 777);
    assertArrayEquals(one, two, "the way the data was written changed the bytes");
    ByteArrayOutputStream single = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(single) {
      { def.setLevel(Deflater.BEST_COMPRESSION); }
    }) {
      gzip.write(data);
    }
    double overhead = (one.length - single.size()) / (double) single.size();
    assertTrue(overhead < 0.005, "parallel blocks cost " + overhead * 100 + "% over one stream");
  }
}
