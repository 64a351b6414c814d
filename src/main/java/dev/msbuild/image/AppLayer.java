package dev.msbuild.image;

import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.FinalStageSpec.Owner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
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

  /** A layer whose entries all carry the epoch as their time, missing parents added as 0755 root. */
  public static AppLayer writeEntries(List<LayerEntry> entries, Path target) throws IOException {
    return writeEntries(entries, target, Instant.EPOCH);
  }

  /** A layer of these entries at {@code time}, missing parents added as 0755 root (no layers below known). */
  public static AppLayer writeEntries(List<LayerEntry> entries, Path target, Instant time) throws IOException {
    return writeExactly(ParentDirectories.complete(entries, ImageFiles.EMPTY), target, time);
  }

  /**
   * Writes exactly these entries (files, directories and symlinks) to {@code target} (temp file,
   * then rename): a parent they lack is not added, so that one the layers below have as a symlink
   * stays one ({@link ParentDirectories#complete} adds the others first).
   *
   * @param time every entry's modification time: the build's reproducible timestamp
   *     ({@code project.build.outputTimestamp} or {@code SOURCE_DATE_EPOCH}), else the epoch
   */
  public static AppLayer writeExactly(List<LayerEntry> entries, Path target, Instant time) throws IOException {
    MessageDigest compressed = sha256();
    MessageDigest uncompressed = sha256();
    AtomicFiles.write(
        target,
        file -> {
          try (DigestOutputStream compressedDigest = new DigestOutputStream(file, compressed);
              OutputStream gzip = new ParallelGzipOutputStream(compressedDigest);
              DigestOutputStream tarDigest = new DigestOutputStream(gzip, uncompressed);
              TarArchiveOutputStream tar = new TarArchiveOutputStream(tarDigest, 512)) {
            writeTar(entries, tar, time.getEpochSecond());
          }
        });
    return new AppLayer(
        target, "sha256:" + hex(compressed), "sha256:" + hex(uncompressed), Files.size(target));
  }

  /** Sorted by path, a later entry for a path replacing an earlier one: the bytes never depend on input order. */
  private static void writeTar(List<LayerEntry> entries, TarArchiveOutputStream tar, long seconds) throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    TreeMap<String, LayerEntry> byPath = new TreeMap<>();
    for (LayerEntry entry : entries) {
      String path = relative(entry.imagePath());
      if (!path.isEmpty()) {
        byPath.put(path, entry);
      }
    }
    for (var item : byPath.entrySet()) {
      LayerEntry entry = item.getValue();
      String name = item.getKey();
      TarArchiveEntry tarEntry;
      if (entry instanceof LayerEntry.DirectoryEntry) {
        tarEntry = new TarArchiveEntry(name + "/");
        stamp(tarEntry, 040000 | entry.mode(), entry.owner(), seconds);
      } else if (entry instanceof LayerEntry.SymlinkEntry link) {
        tarEntry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        tarEntry.setLinkName(link.target());
        stamp(tarEntry, 0120777, entry.owner(), seconds);
      } else {
        tarEntry = new TarArchiveEntry(name);
        stamp(tarEntry, 0100000 | entry.mode(), entry.owner(), seconds);
        tarEntry.setSize(entry instanceof LayerEntry.FileEntry f ? Files.size(f.source()) : ((LayerEntry.BytesEntry) entry).content().length);
      }
      tar.putArchiveEntry(tarEntry);
      if (entry instanceof LayerEntry.FileEntry f) {
        try (InputStream in = Files.newInputStream(f.source())) {
          in.transferTo(tar);
        }
      } else if (entry instanceof LayerEntry.BytesEntry b) {
        tar.write(b.content());
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
  }

  private static String relative(String imagePath) {
    return imagePath.replaceFirst("^/+", "").replaceFirst("/+$", "");
  }

  private static void stamp(TarArchiveEntry entry, int mode, Owner owner, long seconds) {
    entry.setMode(mode);
    entry.setUserId(owner.uid());
    entry.setGroupId(owner.gid());
    entry.setUserName("");
    entry.setGroupName("");
    entry.setModTime(seconds * 1000);
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

}
