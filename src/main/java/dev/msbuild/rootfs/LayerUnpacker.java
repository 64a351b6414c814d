package dev.msbuild.rootfs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies image layers, in order, to a root directory, the way a container runtime does:
 * whiteouts delete, opaque directories empty, links stay links. Every entry is treated as
 * hostile: names are confined to the root, nothing is written through a symlink, links are never
 * followed on the host, device nodes and FIFOs are skipped.
 */
public final class LayerUnpacker {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final Path root;

  public LayerUnpacker(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Applies one layer (a tar, gzip-compressed or not) read from {@code layer}. */
  public void apply(InputStream layer, String layerName) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(layer, 65536);
    buffered.mark(2);
    int b1 = buffered.read();
    int b2 = buffered.read();
    buffered.reset();
    InputStream tarStream = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(buffered, 65536) : buffered;
    List<Runnable> deferredModes = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        applyEntry(tar, entry, layerName, deferredModes);
      }
    }
    // Directory modes last, so a read-only directory can still be filled while unpacking.
    deferredModes.forEach(Runnable::run);
  }

  private void applyEntry(
      TarArchiveInputStream tar, TarArchiveEntry entry, String layerName, List<Runnable> deferredModes)
      throws IOException {
    String name = entry.getName();
    Path target = confined(name, layerName);
    if (target.equals(root)) {
      return;
    }
    String base = target.getFileName().toString();
    if (base.equals(OPAQUE)) {
      Path dir = target.getParent();
      refuseSymlinkedParents(target, name, layerName);
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        try (var children = Files.list(dir)) {
          for (Path child : (Iterable<Path>) children::iterator) {
            deleteRecursively(child);
          }
        }
      }
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      Path victim = target.resolveSibling(base.substring(WHITEOUT.length()));
      refuseSymlinkedParents(victim, name, layerName);
      deleteRecursively(victim);
      return;
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      // Device nodes and FIFOs are skipped: a build never needs them and creating them on the
      // host is unsafe.
      return;
    }
    refuseSymlinkedParents(target, name, layerName);
    Files.createDirectories(target.getParent());
    if (entry.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        deleteRecursively(target);
        Files.createDirectory(target);
      }
      int mode = entry.getMode();
      deferredModes.add(() -> setMode(target, mode | 0200));
    } else if (entry.isSymbolicLink()) {
      deleteRecursively(target);
      // The link text is kept as the image has it; absolute targets are rootfs-relative and
      // are only ever resolved inside the root (see RootPaths).
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      Path source = confined(entry.getLinkName(), layerName);
      refuseSymlinkedParents(source, entry.getLinkName(), layerName);
      if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            "layer " + layerName + ": hard link " + name + " points to " + entry.getLinkName()
                + ", which is not a regular file of this image");
      }
      deleteRecursively(target);
      Files.createLink(target, source);
    } else if (entry.isFile()) {
      deleteRecursively(target);
      Path part = target.resolveSibling(base + ".msbuild-part");
      Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      setMode(target, entry.getMode());
    }
    // Other special entries (GNU volume headers and the like) carry no file.
  }

  /** Resolves an entry name inside the root, refusing names that climb out of it. */
  private Path confined(String name, String layerName) throws IOException {
    String relative = name;
    while (relative.startsWith("/") || relative.startsWith("./")) {
      relative = relative.startsWith("/") ? relative.substring(1) : relative.substring(2);
    }
    for (String part : relative.split("/")) {
      if (part.equals("..")) {
        throw new IOException("layer " + layerName + ": entry '" + name + "' climbs out of the image root");
      }
    }
    Path resolved = root.resolve(relative).normalize();
    if (!resolved.startsWith(root)) {
      throw new IOException("layer " + layerName + ": entry '" + name + "' is outside the image root");
    }
    return resolved;
  }

  /** Refuses to write through a symlinked directory, which could point anywhere on the host. */
  private void refuseSymlinkedParents(Path target, String name, String layerName) throws IOException {
    for (Path dir = target.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
      if (Files.isSymbolicLink(dir)) {
        throw new IOException(
            "layer " + layerName + ": entry '" + name + "' would be written through the symlink "
                + root.relativize(dir));
      }
    }
  }

  private static void setMode(Path path, int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    try {
      Files.setPosixFilePermissions(path, perms);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Modes are best effort on file systems without POSIX permissions.
    }
  }

  /** Deletes a file, link or directory tree without following links. */
  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      path.toFile().setWritable(true, true);
      try (var children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleteRecursively(child);
        }
      }
    }
    try {
      Files.delete(path);
    } catch (DirectoryNotEmptyException e) {
      throw new IOException("could not empty " + path, e);
    }
  }
}
