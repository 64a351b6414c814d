package dev.msbuild.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The layer that carries the artifact, written by us rather than by Jib so that it is compressed
 * at the highest gzip level (a binary layer is written once and pulled many times) and is
 * byte-identical for identical inputs: fixed times, root ownership, sorted entries.
 *
 * @param file the compressed layer on disk
 * @param digest sha256 of the compressed bytes
 * @param diffId sha256 of the uncompressed tar
 * @param size compressed size in bytes
 */
public record AppLayer(Path file, String digest, String diffId, long size) {
  /** Entry times: one second past the epoch, as Jib uses, so tools that treat 0 as unset don't. */
  private static final long MTIME_SECONDS = 1;

  /** One file of the layer: its content, its absolute path in the image and its mode. */
  public record Entry(Path source, String imagePath, int mode) {}

  /** Writes the layer for {@code entries} to {@code target} (via a temp file and a rename). */
  public static AppLayer write(List<Entry> entries, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    MessageDigest compressed = sha256();
    MessageDigest uncompressed = sha256();
    try {
      try (OutputStream file = Files.newOutputStream(temp);
          DigestOutputStream compressedDigest = new DigestOutputStream(file, compressed);
          GZIPOutputStream gzip = new BestGzipOutputStream(compressedDigest);
          DigestOutputStream tarDigest = new DigestOutputStream(gzip, uncompressed);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(tarDigest, 512)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        java.util.TreeSet<String> directories = new java.util.TreeSet<>();
        for (Entry entry : entries) {
          String path = entry.imagePath().replaceFirst("^/+", "");
          for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            directories.add(path.substring(0, slash + 1));
          }
        }
        for (String dir : directories) {
          TarArchiveEntry dirEntry = new TarArchiveEntry(dir);
          stamp(dirEntry, 040755);
          tar.putArchiveEntry(dirEntry);
          tar.closeArchiveEntry();
        }
        List<Entry> sorted = entries.stream().sorted(java.util.Comparator.comparing(Entry::imagePath)).toList();
        for (Entry entry : sorted) {
          TarArchiveEntry fileEntry = new TarArchiveEntry(entry.imagePath().replaceFirst("^/+", ""));
          stamp(fileEntry, 0100000 | entry.mode());
          fileEntry.setSize(Files.size(entry.source()));
          tar.putArchiveEntry(fileEntry);
          try (InputStream in = Files.newInputStream(entry.source())) {
            in.transferTo(tar);
          }
          tar.closeArchiveEntry();
        }
        tar.finish();
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new AppLayer(
        target, "sha256:" + hex(compressed), "sha256:" + hex(uncompressed), Files.size(target));
  }

  private static void stamp(TarArchiveEntry entry, int mode) {
    entry.setMode(mode);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(MTIME_SECONDS * 1000);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** gzip at level 9; the header carries no time or name, so output depends on content only. */
  private static final class BestGzipOutputStream extends GZIPOutputStream {
    BestGzipOutputStream(OutputStream out) throws IOException {
      super(out, 65536);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }
}
