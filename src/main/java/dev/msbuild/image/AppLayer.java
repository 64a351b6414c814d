package dev.msbuild.image;

import dev.msbuild.config.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
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
    MessageDigest compressed = sha256();
    MessageDigest uncompressed = sha256();
    AtomicFiles.write(
        target,
        file -> {
          try (DigestOutputStream compressedDigest = new DigestOutputStream(file, compressed);
              GZIPOutputStream gzip = new BestGzipOutputStream(compressedDigest);
              DigestOutputStream tarDigest = new DigestOutputStream(gzip, uncompressed);
              TarArchiveOutputStream tar = new TarArchiveOutputStream(tarDigest, 512)) {
            writeTar(entries, tar);
          }
        });
    return new AppLayer(
        target, "sha256:" + hex(compressed), "sha256:" + hex(uncompressed), Files.size(target));
  }

  /** Parent directories first, then the files, all sorted: the order never depends on input order. */
  private static void writeTar(List<Entry> entries, TarArchiveOutputStream tar) throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    TreeSet<String> directories = new TreeSet<>();
    for (Entry entry : entries) {
      String path = relative(entry);
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
    for (Entry entry : entries.stream().sorted(Comparator.comparing(Entry::imagePath)).toList()) {
      TarArchiveEntry fileEntry = new TarArchiveEntry(relative(entry));
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

  private static String relative(Entry entry) {
    return entry.imagePath().replaceFirst("^/+", "");
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
