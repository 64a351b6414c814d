package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
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
  void theSameEntryWrittenTwiceGivesIdenticalLayers() throws Exception {
    Path binary = Files.write(dir.resolve("webserver"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
    AppLayer one = AppLayer.writeEntries(List.of(new LayerEntry.FileEntry("/app/webserver", binary, 0755, FinalStageSpec.Owner.ROOT)), dir.resolve("one/layer.tar.gz"));
    // Another build: the artifact was rebuilt later (new mtime), the layer goes elsewhere.
    Files.setLastModifiedTime(binary, FileTime.fromMillis(123456789));
    AppLayer two = AppLayer.writeEntries(List.of(new LayerEntry.FileEntry("/app/webserver", binary, 0755, FinalStageSpec.Owner.ROOT)), dir.resolve("two/layer.tar.gz"));
    assertEquals(dir.resolve("one/layer.tar.gz"), one.file());
    assertEquals(dir.resolve("two/layer.tar.gz"), two.file());
    assertEquals(one.digest(), two.digest());
    assertEquals(one.diffId(), two.diffId());
    assertEquals(one.size(), two.size());
    assertArrayEquals(Files.readAllBytes(one.file()), Files.readAllBytes(two.file()));
  }

  @Test
  void inputOrderDoesNotMatter() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "A");
    Path b = Files.writeString(dir.resolve("b"), "B");
    AppLayer ab =
        AppLayer.writeEntries(
            List.of(new LayerEntry.FileEntry("/app/a", a, 0755, FinalStageSpec.Owner.ROOT), new LayerEntry.FileEntry("/app/bin/b", b, 0755, FinalStageSpec.Owner.ROOT)),
            dir.resolve("ab.tar.gz"));
    AppLayer ba =
        AppLayer.writeEntries(
            List.of(new LayerEntry.FileEntry("/app/bin/b", b, 0755, FinalStageSpec.Owner.ROOT), new LayerEntry.FileEntry("/app/a", a, 0755, FinalStageSpec.Owner.ROOT)),
            dir.resolve("ba.tar.gz"));
    assertEquals(ab.digest(), ba.digest());
    assertEquals(List.of("app/", "app/a", "app/bin/", "app/bin/b"), names(gunzip(ab.file())));
  }

  @Test
  void digestsSizeAndEntries() throws Exception {
    Path binary = Files.writeString(dir.resolve("hello"), "binary bytes");
    AppLayer layer = AppLayer.writeEntries(List.of(new LayerEntry.FileEntry("/app/hello", binary, 0755, FinalStageSpec.Owner.ROOT)), dir.resolve("layer.tar.gz"));
    byte[] compressed = Files.readAllBytes(layer.file());
    assertEquals("sha256:" + sha256(compressed), layer.digest());
    assertEquals(compressed.length, layer.size());
    byte[] tar = gunzip(layer.file());
    assertEquals("sha256:" + sha256(tar), layer.diffId());

    try (TarArchiveInputStream entries = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry app = entries.getNextEntry();
      assertEquals("app/", app.getName());
      assertEquals(true, app.isDirectory());
      assertEquals(0755, app.getMode() & 07777);
      assertRootOwnedAtTheEpoch(app);
      TarArchiveEntry file = entries.getNextEntry();
      assertEquals("app/hello", file.getName());
      assertEquals(true, file.isFile());
      assertEquals(0755, file.getMode() & 07777);
      assertRootOwnedAtTheEpoch(file);
      assertEquals("binary bytes", new String(entries.readAllBytes()));
      assertNull(entries.getNextEntry());
    }
    // Nothing half-written beside it.
    try (var files = Files.list(dir)) {
      assertEquals(List.of("hello", "layer.tar.gz"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void theModeIsTheEntrysNotTheSourceFiles() throws Exception {
    Path binary = Files.writeString(dir.resolve("tool"), "x");
    Files.setPosixFilePermissions(binary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    AppLayer layer = AppLayer.writeEntries(List.of(new LayerEntry.FileEntry("/app/tool", binary, 0750, FinalStageSpec.Owner.ROOT)), dir.resolve("layer.tar.gz"));
    try (TarArchiveInputStream entries = new TarArchiveInputStream(new ByteArrayInputStream(gunzip(layer.file())))) {
      entries.getNextEntry();
      assertEquals(0750, entries.getNextEntry().getMode() & 07777);
    }
  }

  private static void assertRootOwnedAtTheEpoch(TarArchiveEntry entry) {
    assertEquals(0, entry.getLongUserId(), entry.getName());
    assertEquals(0, entry.getLongGroupId(), entry.getName());
    assertEquals("", entry.getUserName(), entry.getName());
    assertEquals("", entry.getGroupName(), entry.getName());
    assertEquals(0, entry.getModTime().getTime(), entry.getName());
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  private static List<String> names(byte[] tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
    }
    return names;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void everyEntryCarriesTheBuildsTimestamp(@TempDir Path dir) throws IOException {
    Path binary = Files.writeString(dir.resolve("hello"), "binary bytes");
    java.time.Instant time = java.time.Instant.parse("2026-01-01T00:00:00Z");
    AppLayer layer = AppLayer.writeEntries(
        List.of(new LayerEntry.FileEntry("/app/hello", binary, 0755, dev.msbuild.config.FinalStageSpec.Owner.ROOT)),
        dir.resolve("layer.tar.gz"), time);
    try (TarArchiveInputStream entries = new TarArchiveInputStream(new ByteArrayInputStream(gunzip(layer.file())))) {
      TarArchiveEntry entry;
      int n = 0;
      while ((entry = entries.getNextEntry()) != null) {
        assertEquals(time.toEpochMilli(), entry.getModTime().getTime(), entry.getName());
        n++;
      }
      assertEquals(2, n);
    }
  }
}
