package dev.msbuild.cache;

import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.MediaTypes;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Files of a cache directory as one gzipped tar, and back. The tar is the same bytes for the same
 * files wherever it is written (sorted names, one fixed time, owner 0, the files' own modes and
 * links as links), so two runners exporting the same files send one blob; reading it back is a layer unpacked with every
 * entry treated as hostile ({@link LayerUnpacker}).
 */
public final class CacheArchive {
  /** The time every entry has: the archive depends on the files' contents only. */
  private static final long TIME = 315532800000L; // 1980-01-01T00:00:00Z
  /** Most entries one archive may unpack to. */
  private static final long MAX_ENTRIES = 2_000_000;

  private CacheArchive() {}

  /** The regular files under {@code dir}, as sorted relative names with '/', that {@code keep} accepts. */
  public static List<String> files(Path dir, Predicate<String> keep) throws IOException {
    return walk(dir, keep, false);
  }

  /** Every file, symlink and directory under {@code dir} (not {@code dir} itself), as sorted relative names. */
  public static List<String> entries(Path dir) throws IOException {
    return walk(dir, n -> true, true);
  }

  private static List<String> walk(Path dir, Predicate<String> keep, boolean everything) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir) && (everything || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))).forEach(p -> {
        String name = dir.relativize(p).toString().replace('\\', '/');
        if (keep.test(name)) {
          names.add(name);
        }
      });
    }
    return new ArrayList<>(names);
  }

  /**
   * Writes {@code names} (files, symlinks and directories under {@code dir}, with their parent
   * directories) to {@code archive} as a gzipped tar: modes exactly as on disk, symlinks as links.
   *
   * @return the archive's descriptor, as a layer
   */
  public static Descriptor write(Path dir, List<String> names, Path archive) throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    long[] size = {0};
    Set<String> written = new TreeSet<>();
    try (OutputStream file = Files.newOutputStream(archive);
        OutputStream counted = new FilterOutputStream(new BufferedOutputStream(file, 1 << 16)) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            size[0] += len;
          }

          @Override
          public void write(int b) throws IOException {
            out.write(b);
            size[0]++;
          }
        };
        DigestOutputStream digesting = new DigestOutputStream(counted, sha256);
        GZIPOutputStream gzip = new FastGzip(digesting);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (String name : new TreeSet<>(names)) {
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
          put(tar, dir, name.substring(0, slash), written);
        }
        put(tar, dir, name, written);
      }
    }
    return new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.of(sha256), size[0]);
  }

  private static void put(TarArchiveOutputStream tar, Path dir, String name, Set<String> written) throws IOException {
    if (!written.add(name)) {
      return;
    }
    Path path = dir.resolve(name);
    int mode = mode(path);
    TarArchiveEntry entry;
    boolean regular = false;
    if (Files.isSymbolicLink(path)) {
      entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(Files.readSymbolicLink(path).toString());
      entry.setMode(0120777);
    } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      entry = new TarArchiveEntry(name + "/");
      entry.setMode(040000 | mode);
    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      entry = new TarArchiveEntry(name);
      entry.setMode(0100000 | mode);
      entry.setSize(Files.size(path));
      regular = true;
    } else {
      return; // sockets, FIFOs: nothing a cache entry holds
    }
    fixed(entry);
    tar.putArchiveEntry(entry);
    if (regular) {
      Files.copy(path, tar);
    }
    tar.closeArchiveEntry();
  }

  /** Unpacks an archive (checked against {@code digest}) into {@code dir}, within {@code maxBytes} of content. */
  public static void unpack(Path archive, Digest digest, Path dir, long maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(archive)) {
      new LayerUnpacker(dir, MAX_ENTRIES, maxBytes).apply(in, archive.getFileName().toString(), digest.toString());
    }
  }

  private static void fixed(TarArchiveEntry entry) {
    entry.setModTime(TIME);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
  }

  /** The entry's permission bits (setuid, setgid and sticky among them), as on disk. */
  private static int mode(Path path) throws IOException {
    try {
      return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isExecutable(path) ? 0755 : 0644;
    }
  }

  /** Gzip at level 1: cache archives are made on every export and read once per runner. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
