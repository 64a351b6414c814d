package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.it.GzipBomb;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one bounded read of a base's layers: hostile layers end in a message naming the base and what was too large. */
class BaseFilesTest {
  private static final ImageFiles.Limits SMALL = new ImageFiles.Limits(10, 1 << 20, 200, 64, 100);

  @TempDir Path dir;

  private static Optional<PulledImage> base(Path... layers) {
    List<PulledImage.Layer> pulled = java.util.Arrays.stream(layers)
        .map(l -> new PulledImage.Layer("sha256:" + l.getFileName(), 0, "application/vnd.oci.image.layer.v1.tar+gzip", l))
        .toList();
    ImageName name = ImageName.parse("registry.example/hostile/base:1", Setting.FROM_IMAGE);
    return Optional.of(new PulledImage(name, name, "sha256:1", "sha256:2", Platform.LINUX_AMD64, "{}".getBytes(), pulled,
        "application/vnd.oci.image.manifest.v1+json"));
  }

  /** A 3 GiB /etc/passwd in a 3 MB layer: refused at its header, before a byte of it is decompressed. */
  @Test
  void aGzipBombPasswdIsRefusedAtItsHeader() throws IOException {
    GzipBomb.Layer bomb = GzipBomb.write(dir.resolve("bomb.tar.gz"), "etc/passwd", 3L << 30, false);
    assertTrue(bomb.size() < 8 << 20, "the bomb is " + bomb.size() + " bytes on disk");
    long start = System.nanoTime();
    MsbuildException e = assertThrows(MsbuildException.class, () -> BaseFiles.read(base(bomb.file()), true, name -> false));
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took " + (System.nanoTime() - start) / 1e9 + " s");
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains("registry.example/hostile/base:1")
        && e.getMessage().contains("/etc/passwd is 3221225472 bytes, more than the 4194304 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("<from><image> (-Dmsbuild.from.image)"), e.getMessage());

    // Without a user to check, the passwd is not read at all, and a smaller total bound stops the scan of its names.
    MsbuildException total = assertThrows(MsbuildException.class,
        () -> BaseFiles.read(base(bomb.file()), false, name -> false, new ImageFiles.Limits(1000, 1L << 30, 1 << 20, 1 << 20, 1 << 20)));
    assertTrue(total.getMessage().contains("decompress to more than 1073741824 bytes") && total.getMessage().contains("etc/passwd"),
        total.getMessage());
  }

  @Test
  void usersAreReadOnlyWhenAskedFor() throws IOException {
    Path layer = layer("users.tar.gz", "etc/passwd", "root:x:0:0::/root:/bin/sh\n", "etc/group", "root:x:0:\n");
    assertEquals(UserDatabase.EMPTY, BaseFiles.read(base(layer), false, name -> false).users());
    BaseFiles read = BaseFiles.read(base(layer), true, name -> false);
    assertEquals(Optional.of("root:x:0:0::/root:/bin/sh\n"), read.users().passwd());
    assertTrue(read.files().exists("/etc/group"));
    assertEquals(BaseFiles.NONE, BaseFiles.read(Optional.empty(), true, name -> false));

    assertTrue(UserDatabase.needed("app", Optional.empty()));
    assertTrue(UserDatabase.needed("1000:staff", Optional.empty()));
    assertTrue(UserDatabase.needed(null, Optional.of("app")));
    assertFalse(UserDatabase.needed("65532:65532", Optional.empty()));
    assertFalse(UserDatabase.needed(null, Optional.empty()));
  }

  @Test
  void tooManyEntriesTooLongNamesAndTooMuchKeptContentAreRefused() throws IOException {
    String[] many = new String[24];
    for (int i = 0; i < 12; i++) {
      many[2 * i] = "f" + i;
      many[2 * i + 1] = "";
    }
    assertRefused(layer("many.tar.gz", many), "more than 10 entries");
    assertRefused(layer("names.tar.gz", "a".repeat(150), "", "b".repeat(150), ""), "file names take more than 200 characters");
    assertRefused(layer("kept.tar.gz", "etc/passwd", "x".repeat(60), "etc/group", "y".repeat(60)), "take more than 100 bytes");
    MsbuildException tooLong = assertThrows(MsbuildException.class,
        () -> BaseFiles.read(base(layer("long.tar.gz", "d/".repeat(2100) + "f", "")), false, name -> false));
    assertTrue(tooLong.getMessage().contains("longer than 4096 characters"), tooLong.getMessage());
  }

  /** A long name declaring a gigabyte: the metadata bound stops it, and the message still names the base. */
  @Test
  void aHugeLongNameIsRefusedNamingTheBase() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      TarArchiveEntry longName = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
      longName.setSize(1L << 30);
      byte[] header = new byte[512];
      longName.writeEntryHeader(header);
      gzip.write(header);
      byte[] name = new byte[1 << 20];
      java.util.Arrays.fill(name, (byte) 'a');
      for (int i = 0; i < 3; i++) {
        gzip.write(name);
      }
    }
    Path layer = Files.write(dir.resolve("longname.tar.gz"), bytes.toByteArray());
    MsbuildException e = assertThrows(MsbuildException.class, () -> BaseFiles.read(base(layer), false, name -> false));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains("registry.example/hostile/base:1 is refused") && e.getMessage().contains("metadata"),
        e.getMessage());
  }

  @Test
  void aTruncatedLayerIsAFailureNamingTheBase() throws IOException {
    byte[] whole = Files.readAllBytes(layer("whole.tar.gz", "etc/passwd", "root:x:0:0::/root:/bin/sh\n".repeat(200)));
    Path cut = Files.write(dir.resolve("cut.tar.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
    MsbuildException e = assertThrows(MsbuildException.class, () -> BaseFiles.read(base(cut), true, name -> false));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().startsWith("Could not read the layers of the base image registry.example/hostile/base:1"), e.getMessage());
  }

  private void assertRefused(Path layer, String expected) {
    MsbuildException e = assertThrows(MsbuildException.class, () -> BaseFiles.read(base(layer), true, name -> false, SMALL));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private Path layer(String name, String... pathsAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      for (int i = 0; i < pathsAndContents.length; i += 2) {
        byte[] content = pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(pathsAndContents[i]);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return Files.write(dir.resolve(name), bytes.toByteArray());
  }
}
