package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppLayerTest {
  @TempDir Path dir;

  @Test
  void sameInputSameBytes() throws Exception {
    Path binary = Files.write(dir.resolve("webserver"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
    AppLayer one = AppLayer.write(List.of(new AppLayer.Entry(binary, "/app/webserver", 0755)), dir.resolve("one/layer.tar.gz"));
    Files.setLastModifiedTime(binary, java.nio.file.attribute.FileTime.fromMillis(123456789));
    AppLayer two = AppLayer.write(List.of(new AppLayer.Entry(binary, "/app/webserver", 0755)), dir.resolve("two/layer.tar.gz"));
    assertEquals(one.digest(), two.digest());
    assertEquals(one.diffId(), two.diffId());
    assertEquals(one.size(), two.size());
    assertArrayEquals(Files.readAllBytes(one.file()), Files.readAllBytes(two.file()));
  }

  @Test
  void digestsSizeAndEntries() throws Exception {
    Path binary = Files.writeString(dir.resolve("hello"), "binary bytes");
    AppLayer layer = AppLayer.write(List.of(new AppLayer.Entry(binary, "/app/hello", 0755)), dir.resolve("layer.tar.gz"));
    byte[] compressed = Files.readAllBytes(layer.file());
    assertEquals("sha256:" + sha256(compressed), layer.digest());
    assertEquals(compressed.length, layer.size());
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layer.file()))) {
      tar = in.readAllBytes();
    }
    assertEquals("sha256:" + sha256(tar), layer.diffId());

    try (TarArchiveInputStream entries = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      TarArchiveEntry app = entries.getNextEntry();
      assertEquals("app/", app.getName());
      assertEquals(040755, app.getMode());
      TarArchiveEntry file = entries.getNextEntry();
      assertEquals("app/hello", file.getName());
      assertEquals(0100755, file.getMode());
      assertEquals(0, file.getLongUserId());
      assertEquals(0, file.getLongGroupId());
      assertEquals(1000, file.getModTime().getTime());
      assertEquals("binary bytes", new String(entries.readAllBytes()));
      assertNull(entries.getNextEntry());
    }
    // Nothing half-written beside it.
    try (var files = Files.list(dir)) {
      assertEquals(List.of("hello", "layer.tar.gz"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
