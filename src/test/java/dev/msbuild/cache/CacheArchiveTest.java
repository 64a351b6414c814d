package dev.msbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.oci.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheArchiveTest {
  @TempDir Path dir;

  private Path tree(String name) throws IOException {
    Path root = dir.resolve(name);
    Files.createDirectories(root.resolve("runtime/bin"));
    Files.createDirectories(root.resolve("runtime/empty"));
    Files.writeString(root.resolve("runtime/bin/java"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(root.resolve("runtime/bin/java"), PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.writeString(root.resolve("runtime/release"), "JAVA_VERSION=25\n");
    Files.setPosixFilePermissions(root.resolve("runtime/release"), PosixFilePermissions.fromString("rw-r-----"));
    Files.createSymbolicLink(root.resolve("runtime/LICENSE"), Path.of("release"));
    Files.setPosixFilePermissions(root.resolve("runtime/bin"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.setLastModifiedTime(root.resolve("runtime/release"), FileTime.from(Instant.now().minusSeconds(name.length() * 1000L)));
    return root;
  }

  @Test
  void theSameFilesGiveTheSameBytesAndComeBackExactly() throws IOException {
    Path a = tree("a");
    Path b = tree("bb");
    Descriptor one = CacheArchive.write(a, CacheArchive.entries(a), dir.resolve("a.tar.gz"));
    Descriptor two = CacheArchive.write(b, CacheArchive.entries(b), dir.resolve("b.tar.gz"));
    assertEquals(one, two, "names, modes and contents alone decide the bytes: not times, not where");

    Path back = dir.resolve("back");
    Files.createDirectory(back);
    CacheArchive.unpack(dir.resolve("a.tar.gz"), one.digest(), back, 1L << 20);
    assertEquals(CacheArchive.entries(a), CacheArchive.entries(back));
    assertEquals("r-xr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("runtime/bin/java"))));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("runtime/release"))));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("runtime/bin"))));
    assertTrue(Files.isSymbolicLink(back.resolve("runtime/LICENSE")));
    assertEquals(Path.of("release"), Files.readSymbolicLink(back.resolve("runtime/LICENSE")));
    assertTrue(Files.isDirectory(back.resolve("runtime/empty"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void onlyTheChosenFilesWithTheirParents() throws IOException {
    Path a = tree("a");
    List<String> files = CacheArchive.files(a, n -> n.endsWith("java"));
    assertEquals(List.of("runtime/bin/java"), files);
    Descriptor d = CacheArchive.write(a, files, dir.resolve("some.tar.gz"));
    Path back = dir.resolve("back");
    Files.createDirectory(back);
    CacheArchive.unpack(dir.resolve("some.tar.gz"), d.digest(), back, 1L << 20);
    assertEquals(List.of("runtime", "runtime/bin", "runtime/bin/java"), CacheArchive.entries(back));
  }

  @Test
  void anArchiveOfOtherBytesThanItsDigestIsRefused() throws IOException {
    Path a = tree("a");
    Descriptor d = CacheArchive.write(a, CacheArchive.entries(a), dir.resolve("a.tar.gz"));
    Descriptor other = CacheArchive.write(a, List.of("runtime/release"), dir.resolve("other.tar.gz"));
    Path back = dir.resolve("back");
    Files.createDirectory(back);
    assertThrows(IOException.class, () -> CacheArchive.unpack(dir.resolve("other.tar.gz"), d.digest(), back, 1L << 20));
    assertTrue(!other.digest().equals(d.digest()));
  }
}
