package dev.msbuild.rootfs;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayerUnpackerTest {
  @TempDir Path temp;
  Path root;
  Path outside;

  @BeforeEach
  void dirs() throws IOException {
    root = Files.createDirectory(temp.resolve("root"));
    outside = Files.createDirectory(temp.resolve("outside"));
  }

  /** One tar entry of a crafted layer. */
  record E(String name, byte type, String content, String link, int mode) {
    static E file(String name, String content) {
      return new E(name, TarConstants.LF_NORMAL, content, null, 0644);
    }

    static E dir(String name) {
      return new E(name, TarConstants.LF_DIR, null, null, 0755);
    }

    static E symlink(String name, String target) {
      return new E(name, TarConstants.LF_SYMLINK, null, target, 0777);
    }

    static E hardlink(String name, String target) {
      return new E(name, TarConstants.LF_LINK, null, target, 0644);
    }
  }

  static byte[] layer(boolean gzip, E... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (E e : entries) {
        TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), false);
        entry.setMode(e.mode());
        if (e.link() != null) {
          entry.setLinkName(e.link());
        }
        byte[] content = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  void apply(byte[]... layers) throws IOException {
    LayerUnpacker unpacker = new LayerUnpacker(root);
    int i = 0;
    for (byte[] layer : layers) {
      unpacker.apply(new ByteArrayInputStream(layer), "layer" + i++);
    }
  }

  @Test
  void filesDirectoriesAndModes() throws IOException {
    apply(
        layer(
            true,
            E.dir("usr/"),
            new E("usr/bin/tool", TarConstants.LF_NORMAL, "#!", null, 0755),
            E.file("etc/motd", "hi"),
            new E("etc/shadow", TarConstants.LF_NORMAL, "s", null, 0600),
            new E("srv/", TarConstants.LF_DIR, null, null, 0750)));
    assertEquals("hi", Files.readString(root.resolve("etc/motd")));
    assertEquals("rwxr-xr-x", mode(root.resolve("usr/bin/tool")));
    assertEquals("rw-r--r--", mode(root.resolve("etc/motd")));
    assertEquals("rw-------", mode(root.resolve("etc/shadow")));
    assertTrue(Files.isDirectory(root.resolve("srv"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("rwxr-x---", mode(root.resolve("srv")));
    assertEquals("rwxr-xr-x", mode(root.resolve("usr")));
    assertNothingOutside();
  }

  @Test
  void aLaterFileReplacesASymlinkInsteadOfWritingThroughIt() throws IOException {
    Path target = Files.writeString(outside.resolve("target"), "keep");
    apply(layer(true, E.symlink("etc/conf", target.toString())), layer(false, E.file("etc/conf", "mine")));
    assertFalse(Files.isSymbolicLink(root.resolve("etc/conf")));
    assertEquals("mine", Files.readString(root.resolve("etc/conf")));
    assertEquals("keep", Files.readString(target));
  }

  @Test
  void absoluteSymlinkTargetsAreKeptVerbatim() throws IOException {
    apply(layer(true, E.symlink("ext", outside.toString())));
    assertTrue(Files.isSymbolicLink(root.resolve("ext")));
    assertEquals(outside.toString(), Files.readSymbolicLink(root.resolve("ext")).toString());
    assertEquals(List.of(), list(outside));
  }

  /** Layer 1 plants {@code evil -> <the real outside directory>}, layer 2 writes under evil/. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("throughAnAbsoluteSymlink")
  void nothingIsWrittenThroughAnAbsoluteSymlinkToTheHost(String name, E entry) throws IOException {
    byte[] plant = layer(true, E.symlink("evil", outside.toAbsolutePath().toString()));
    IOException e = assertThrows(IOException.class, () -> apply(plant, layer(true, entry)));
    assertTrue(e.getMessage().contains("'" + entry.name() + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("layer1"), e.getMessage());
    assertEquals(List.of(), list(outside));
  }

  static Stream<Arguments> throughAnAbsoluteSymlink() {
    return Stream.of(
        Arguments.of("file", E.file("evil/x", "x")),
        Arguments.of("directory", E.dir("evil/d/")),
        Arguments.of("nested file", E.file("evil/a/b/x", "x")),
        Arguments.of("symlink", E.symlink("evil/l", "/")));
  }

  @Test
  void nothingIsWrittenThroughAnAbsoluteSymlinkOfTheSameLayer() throws IOException {
    byte[] both = layer(false, E.symlink("evil", outside.toAbsolutePath().toString()), E.file("evil/x", "x"));
    IOException e = assertThrows(IOException.class, () -> apply(both));
    assertTrue(e.getMessage().contains("'evil/x'"), e.getMessage());
    assertEquals(List.of(), list(outside));
  }

  /**
   * A directory's mode is applied at the end of its layer; by then a later entry of the same layer
   * may have replaced the directory with a symlink to the host. The mode must not reach the host.
   */
  @Test
  void aDeferredDirectoryModeDoesNotFollowALaterSymlink() throws IOException {
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwx------"));
    try {
      apply(
          layer(
              true,
              new E("d/", TarConstants.LF_DIR, null, null, 0777),
              E.symlink("d", outside.toAbsolutePath().toString())));
    } catch (IOException refused) {
      // Refusing the layer is fine too; changing the host is not.
    }
    assertEquals("rwx------", mode(outside));
  }

  /** Whiteouts whose victim is ".", ".." or nothing would delete the directory, the root or above it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {".wh...", "a/.wh...", ".wh..", "a/.wh..", ".wh."})
  void whiteoutsOfDotNamesAreRefused(String whiteout) throws IOException {
    Files.writeString(outside.resolve("secret"), "keep");
    // Siblings of the root, as other unpacked images are in the cache; listed in any order.
    List<Path> neighbours = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      neighbours.add(Files.writeString(Files.createDirectory(temp.resolve("neighbour-" + i)).resolve("f"), "keep"));
    }
    byte[] base = layer(true, E.file("a/kept", "1"), E.file("top", "2"));
    IOException e = assertThrows(IOException.class, () -> apply(base, layer(true, E.file(whiteout, ""))));
    assertAll(
        () -> assertTrue(e.getMessage().contains("'" + whiteout + "'"), e.getMessage()),
        () -> assertTrue(Files.exists(outside.resolve("secret")), "the whiteout deleted a file outside the root"),
        () -> assertEquals(List.of(), neighbours.stream().filter(Files::notExists).toList(), "deleted outside the root"),
        () -> assertTrue(Files.exists(root.resolve("a/kept")), "the whiteout deleted a/kept"),
        () -> assertTrue(Files.exists(root.resolve("top")), "the whiteout deleted top"));
  }

  @Test
  void uncompressedLayersWorkToo() throws IOException {
    apply(layer(false, E.file("a.txt", "plain")));
    assertEquals("plain", Files.readString(root.resolve("a.txt")));
  }

  @Test
  void symlinksStayLinksAndAreNotFollowed() throws IOException {
    apply(layer(true, E.symlink("bin/sh", "/bin/busybox"), E.symlink("lib/up", "../../outside")));
    assertTrue(Files.isSymbolicLink(root.resolve("bin/sh")));
    assertEquals("/bin/busybox", Files.readSymbolicLink(root.resolve("bin/sh")).toString());
    assertTrue(Files.isSymbolicLink(root.resolve("lib/up")));
    // Climbing above the root is clamped at the root, as a container resolves it.
    assertEquals("../outside", Files.readSymbolicLink(root.resolve("lib/up")).toString());
    assertNothingOutside();
  }

  @Test
  void zstdLayersWork() throws IOException {
    byte[] tar = layer(false, E.file("z.txt", "zstd"));
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream zstd = new com.github.luben.zstd.ZstdOutputStream(compressed)) {
      zstd.write(tar);
    }
    apply(compressed.toByteArray());
    assertEquals("zstd", Files.readString(root.resolve("z.txt")));
  }

  @Test
  void theDigestIsChecked() throws Exception {
    byte[] layer = layer(true, E.file("a", "1"));
    String digest = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(layer));
    new LayerUnpacker(root).apply(new ByteArrayInputStream(layer), "good", digest);
    LayerUnpacker.DigestMismatchException e =
        assertThrows(
            LayerUnpacker.DigestMismatchException.class,
            () -> new LayerUnpacker(root).apply(new ByteArrayInputStream(layer), "bad", "sha256:" + "0".repeat(64)));
    assertTrue(e.getMessage().contains("not the sha256:" + "0".repeat(64)), e.getMessage());
  }

  @Test
  void entryAndByteLimitsHold() throws IOException {
    byte[] many = layer(true, E.file("a", "1"), E.file("b", "2"), E.file("c", "3"));
    LayerUnpacker.LimitExceededException entries =
        assertThrows(LayerUnpacker.LimitExceededException.class,
            () -> new LayerUnpacker(root, 2, 1000).apply(new ByteArrayInputStream(many), "many"));
    assertTrue(entries.entryLimit());
    byte[] big = layer(true, E.file("big", "x".repeat(5000)));
    LayerUnpacker.LimitExceededException bytes =
        assertThrows(LayerUnpacker.LimitExceededException.class,
            () -> new LayerUnpacker(root, 100, 4096).apply(new ByteArrayInputStream(big), "big"));
    assertTrue(!bytes.entryLimit() && bytes.getMessage().contains("'big'"), bytes.getMessage());
    assertFalse(Files.exists(root.resolve("big")));
  }

  /** A sparse file stores almost nothing and expands to its full size: the byte limit counts the expansion. */
  @Test
  void aSparseFileCountsAtTheSizeItExpandsTo() throws Exception {
    Path source = Files.createDirectory(temp.resolve("sparse"));
    try (var file = new java.io.RandomAccessFile(source.resolve("holes").toFile(), "rw")) {
      file.setLength(64L << 20);
      file.write('x');
    }
    Path tar = temp.resolve("sparse.tar");
    Process gnuTar = new ProcessBuilder("tar", "--sparse", "--format=gnu", "-C", source.toString(), "-cf", tar.toString(), "holes")
        .redirectErrorStream(true).start();
    assertEquals(0, gnuTar.waitFor(), new String(gnuTar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertTrue(Files.size(tar) < (1 << 20), "GNU tar stored the holes: " + Files.size(tar));
    LayerUnpacker.LimitExceededException e = assertThrows(LayerUnpacker.LimitExceededException.class,
        () -> new LayerUnpacker(root, 100, 16L << 20).apply(Files.newInputStream(tar), "sparse"));
    assertTrue(!e.entryLimit() && e.getMessage().contains("'holes'"), e.getMessage());
    assertFalse(Files.exists(root.resolve("holes")));
  }

  /** A GNU long name that declares a gigabyte is refused at the metadata bound, not read into memory. */
  @Test
  void aHugeLongNameIsRefusedAtTheMetadataBound() throws IOException {
    TarArchiveEntry longName = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
    longName.setSize(1L << 30);
    byte[] header = new byte[512];
    longName.writeEntryHeader(header);
    java.io.InputStream endless = new java.io.InputStream() {
      @Override public int read() {
        return 'a';
      }

      @Override public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'a');
        return len;
      }
    };
    IOException e = assertThrows(BoundedTarInput.MetadataTooLargeException.class,
        () -> new LayerUnpacker(root).apply(new java.io.SequenceInputStream(new ByteArrayInputStream(header), endless), "name"));
    assertTrue(e.getMessage().contains("layer name") && e.getMessage().contains(String.valueOf(BoundedTarInput.MAX_ENTRY_METADATA)),
        e.getMessage());
  }

  @Test
  void hardLinkInsideTheRoot() throws IOException {
    apply(layer(true, E.file("a", "same"), E.hardlink("b", "a")));
    assertEquals("same", Files.readString(root.resolve("b")));
    assertEquals(Files.getAttribute(root.resolve("a"), "unix:ino"), Files.getAttribute(root.resolve("b"), "unix:ino"));
  }

  @Test
  void whiteoutDeletesAndOpaqueDirectoryEmpties() throws IOException {
    apply(
        layer(true, E.file("etc/a", "1"), E.file("etc/b", "2"), E.file("var/x/old", "3"), E.file("var/x/keep", "4")),
        layer(true, E.file("etc/.wh.a", ""), E.file("var/x/.wh..wh..opq", ""), E.file("var/x/new", "5")));
    assertFalse(Files.exists(root.resolve("etc/a")));
    assertTrue(Files.exists(root.resolve("etc/b")));
    assertFalse(Files.exists(root.resolve("var/x/old")));
    assertFalse(Files.exists(root.resolve("var/x/keep")));
    assertEquals("5", Files.readString(root.resolve("var/x/new")));
    assertFalse(Files.exists(root.resolve("etc/.wh.a")));
  }

  @Test
  void laterLayersReplaceEarlierEntries() throws IOException {
    apply(layer(true, E.file("f", "old")), layer(true, E.dir("f/"), E.file("f/inner", "new")));
    assertEquals("new", Files.readString(root.resolve("f/inner")));
  }

  @Test
  void absoluteNamesAreConfinedToTheRoot() throws IOException {
    apply(layer(true, E.file("/etc/passwd", "root:x:0:0")));
    assertEquals("root:x:0:0", Files.readString(root.resolve("etc/passwd")));
    assertNothingOutside();
  }

  @Test
  void devicesAndFifosAreSkipped() throws IOException {
    apply(
        layer(
            true,
            new E("dev/null", TarConstants.LF_CHR, null, null, 0666),
            new E("dev/sda", TarConstants.LF_BLK, null, null, 0660),
            new E("run/fifo", TarConstants.LF_FIFO, null, null, 0644),
            E.file("ok", "yes")));
    assertFalse(Files.exists(root.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(root.resolve("dev/sda"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(root.resolve("run/fifo"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("yes", Files.readString(root.resolve("ok")));
  }

  /** Hostile layers: each is refused with a message naming the entry, and nothing escapes. */
  static Stream<Object[]> hostile() throws IOException {
    return Stream.of(
        new Object[] {"dot-dot file", List.of(layer(true, E.file("../escape", "x"))), "../escape"},
        new Object[] {"dot-dot deep", List.of(layer(true, E.file("a/b/../../../escape", "x"))), "a/b/../../../escape"},
        new Object[] {"dot-dot directory", List.of(layer(true, E.dir("../outside/dir/"))), "../outside/dir/"},
        new Object[] {
          "write through an absolute symlink",
          List.of(layer(true, E.symlink("evil", "/tmp")), layer(true, E.file("evil/x", "x"))),
          "evil/x"
        },
        new Object[] {
          "write through a relative symlink",
          List.of(layer(true, E.symlink("evil", "../outside")), layer(true, E.file("evil/x", "x"))),
          "evil/x"
        },
        new Object[] {
          "symlink and write in one layer",
          List.of(layer(true, E.symlink("evil", "../outside"), E.file("evil/x", "x"))),
          "evil/x"
        },
        new Object[] {"hard link out of the root", List.of(layer(true, E.hardlink("h", "../outside/secret"))), "../outside/secret"},
        new Object[] {
          "hard link to a symlink",
          List.of(layer(true, E.symlink("s", "/etc/shadow"), E.hardlink("h", "s"))),
          "hard link h"
        },
        new Object[] {"hard link to nothing", List.of(layer(true, E.hardlink("h", "missing"))), "hard link h"},
        new Object[] {
          "whiteout through a symlink",
          List.of(layer(true, E.symlink("evil", "../outside")), layer(true, E.file("evil/.wh.secret", ""))),
          "evil/.wh.secret"
        },
        new Object[] {
          "opaque dir through a symlink",
          List.of(layer(true, E.symlink("evil", "../outside")), layer(true, E.file("evil/.wh..wh..opq", ""))),
          "evil/.wh..wh..opq"
        },
        new Object[] {"whiteout with dot-dot", List.of(layer(true, E.file("../.wh.outside", ""))), "../.wh.outside"},
        new Object[] {
          "hard link through a symlinked dir",
          List.of(layer(true, E.symlink("evil", "../outside")), layer(true, E.hardlink("h", "evil/secret"))),
          "evil/secret"
        },
        new Object[] {
          "symlink placed through a symlinked dir",
          List.of(layer(true, E.symlink("evil", "../outside")), layer(true, E.symlink("evil/link", "/"))),
          "evil/link"
        },
        new Object[] {
          "directory through a symlinked dir",
          List.of(layer(true, E.symlink("evil", "../outside")), layer(true, E.dir("evil/sub/"))),
          "evil/sub/"
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileLayersAreRefused(String name, List<byte[]> layers, String entry) throws IOException {
    Files.writeString(outside.resolve("secret"), "keep");
    IOException e = assertThrows(IOException.class, () -> apply(layers.toArray(new byte[0][])));
    assertTrue(e.getMessage().contains(entry), e.getMessage());
    assertEquals(List.of(outside.resolve("secret")), list(outside));
    assertEquals("keep", Files.readString(outside.resolve("secret")));
    assertFalse(Files.exists(temp.resolve("escape")));
  }

  private void assertNothingOutside() throws IOException {
    assertEquals(List.of(), list(outside));
    try (Stream<Path> all = Files.list(temp)) {
      assertArrayEquals(new Object[] {outside, root}, all.sorted().toArray());
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).sorted().toList();
    }
  }
}
