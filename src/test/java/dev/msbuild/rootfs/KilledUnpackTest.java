package dev.msbuild.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build killed while unpacking leaves nothing a later build trusts; the next build succeeds. */
class KilledUnpackTest {
  private static final String DIGEST = "sha256:feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface";
  private static final int FILES = 2000;

  @TempDir Path dir;

  @Test
  void aKilledUnpackIsRedoneByTheNextBuild() throws Exception {
    Path layer = dir.resolve("layer.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(layer));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (int i = 0; i < FILES; i++) {
        byte[] content = ("file " + i + "\n").repeat(200).getBytes();
        TarArchiveEntry entry = new TarArchiveEntry("data/f" + i);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    Path cache = dir.resolve("cache");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                UnpackInChildProcess.class.getName(), cache.toString(), layer.toString(), DIGEST)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    Path partial = null;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (partial == null && System.nanoTime() < deadline && child.isAlive()) {
      partial = leftovers(cache).stream().filter(p -> count(p) > 50).findFirst().orElse(null);
      Thread.sleep(20);
    }
    child.destroyForcibly().waitFor();
    assertTrue(partial != null, "the child never started unpacking: " + Files.readString(dir.resolve("child.log")));
    assertFalse(Files.exists(cache.resolve("sha256-" + DIGEST.substring(7))), "a killed unpack must not look complete");

    Path root = new RootfsCache(cache).obtain(DIGEST, r -> {
      try (InputStream in = Files.newInputStream(layer)) {
        new LayerUnpacker(r).apply(in, "layer");
      }
    });
    assertEquals(FILES, count(root.resolve("data")));
    assertEquals(List.of(), leftovers(cache));
  }

  private static List<Path> leftovers(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(cache)) {
      return entries.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
    }
  }

  private static long count(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      // The child is still writing; count again on the next poll.
      return 0;
    }
  }
}
