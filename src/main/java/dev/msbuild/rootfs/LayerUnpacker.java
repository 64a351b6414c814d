package dev.msbuild.rootfs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

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
  private final long maxEntries;
  private final long maxBytes;
  private final boolean chown;
  private long entries;
  private long bytes;

  /** An unpacker without practical limits, for trusted layers. */
  public LayerUnpacker(Path root) {
    this(root, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * @param maxEntries the most tar entries over all layers applied
   * @param maxBytes the most bytes of entry content over all layers applied, a sparse file at
   *     the size it expands to (each entry's metadata is bounded by {@link BoundedTarInput})
   */
  public LayerUnpacker(Path root, long maxEntries, long maxBytes) {
    this.root = root.toAbsolutePath().normalize();
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.chown = RootPaths.runningAsRoot();
  }

  /** Thrown when a layer exceeds a limit; says which. */
  public static final class LimitExceededException extends IOException {
    private final boolean entryLimit;

    LimitExceededException(String message, boolean entryLimit) {
      super(message);
      this.entryLimit = entryLimit;
    }

    /** True for the entry count, false for the byte count. */
    public boolean entryLimit() {
      return entryLimit;
    }
  }

  /** Thrown when a layer's bytes do not have the digest the manifest gives. */
  public static final class DigestMismatchException extends IOException {
    DigestMismatchException(String message) {
      super(message);
    }
  }

  /** Applies one layer (a tar; gzip, zstd or uncompressed) without checking its digest. */
  public void apply(InputStream layer, String layerName) throws IOException {
    apply(layer, layerName, null);
  }

  /**
   * Applies one layer and checks that its bytes, as stored, have {@code expectedDigest}
   * ({@code sha256:<hex>}; null skips the check). The check covers every byte, so a mismatch is
   * found after the entries were written: callers unpack into a directory they discard on failure.
   */
  public void apply(InputStream layer, String layerName, String expectedDigest) throws IOException {
    MessageDigest sha256 = sha256();
    DigestInputStream digesting = new DigestInputStream(layer, sha256);
    InputStream tarStream = decompressed(digesting);
    List<Runnable> deferredModes = new ArrayList<>();
    BoundedTarInput tar = new BoundedTarInput(tarStream, layerName);
    TarArchiveEntry entry;
    while ((entry = tar.next()) != null) {
      if (++entries > maxEntries) {
        throw new LimitExceededException(
            "layer " + layerName + " has more entries than the limit of " + maxEntries + " for the whole image", true);
      }
      // Every entry's content is read, written or skipped, so all of it counts; a sparse file
      // counts at the size it expands to.
      bytes += BoundedTarInput.contentSize(entry);
      if (bytes > maxBytes) {
        throw new LimitExceededException(
            "layer " + layerName + ": entry '" + entry.getName() + "' takes the image past the limit of " + maxBytes
                + " bytes of file content",
            false);
      }
      applyEntry(tar.content(), entry, layerName, deferredModes);
    }
    // Read what the tar reader left (padding, trailing blocks) so the digest covers every byte.
    digesting.transferTo(OutputStream.nullOutputStream());
    tar.close();
    if (expectedDigest != null) {
      String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
      if (!actual.equals(expectedDigest)) {
        throw new DigestMismatchException(
            "layer " + layerName + " has digest " + actual + ", not the " + expectedDigest + " its manifest gives");
      }
    }
    // Directory modes last, so a read-only directory can still be filled while unpacking.
    deferredModes.forEach(Runnable::run);
  }

  private void applyEntry(
      InputStream tar, TarArchiveEntry entry, String layerName, List<Runnable> deferredModes)
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
      String victimName = base.substring(WHITEOUT.length());
      if (victimName.isEmpty() || victimName.equals(".") || victimName.equals("..")) {
        throw new IOException("layer " + layerName + ": whiteout entry '" + name + "' names no file it could delete");
      }
      Path victim = target.resolveSibling(victimName);
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
      // A later entry may replace the directory with a symlink; never change what it points to.
      deferredModes.add(() -> {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          setMode(target, mode | 0200);
        }
      });
    } else if (entry.isSymbolicLink()) {
      deleteRecursively(target);
      // Absolute targets are kept as the image has them: they mean rootfs-relative, which is
      // what they are inside the sandbox, and our own code resolves them with RootPaths. A
      // relative target that climbs above the root is clamped, as a container would resolve it.
      Files.createSymbolicLink(target, Path.of(clampedLinkTarget(target, entry.getLinkName())));
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
    if (chown) {
      setOwner(target, entry);
    }
    // Other special entries (GNU volume headers and the like) carry no file.
  }

  /**
   * A relative link target as the image would resolve it: {@code ..} components that would climb
   * above the root stop at the root, as they do in a container.
   */
  private String clampedLinkTarget(Path link, String target) {
    if (target.startsWith("/")) {
      return target;
    }
    Path dir = root.relativize(link.getParent());
    int depth = dir.toString().isEmpty() ? 0 : dir.getNameCount();
    java.util.Deque<String> kept = new java.util.ArrayDeque<>();
    int climbs = 0;
    StringBuilder clamped = new StringBuilder();
    boolean changed = false;
    for (String part : target.split("/")) {
      if (part.equals("..")) {
        if (!kept.isEmpty()) {
          kept.removeLast();
        } else if (climbs < depth) {
          climbs++;
        } else {
          changed = true;
          continue;
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        kept.addLast(part);
      }
    }
    if (!changed) {
      return target;
    }
    clamped.append("../".repeat(climbs));
    clamped.append(String.join("/", kept));
    String result = clamped.toString();
    return result.isEmpty() ? "." : result.replaceAll("/$", "");
  }

  private static void setOwner(Path path, TarArchiveEntry entry) {
    try {
      Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException ignored) {
      // Ownership is best effort: the builder runs as this machine's user anyway.
    }
  }

  /** A layer's tar stream, whether the layer is gzip, zstd or plain tar (told by its magic bytes). */
  public static InputStream decompressed(InputStream layer) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(layer, 65536);
    buffered.mark(4);
    byte[] magic = buffered.readNBytes(4);
    buffered.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(buffered, 65536);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return new ZstdCompressorInputStream(buffered);
    }
    return buffered;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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

  /**
   * Deletes a file, link or directory tree without following links. Directories are made
   * readable, writable and searchable by their owner first: what a build leaves may hold
   * directories of mode 000 (overlayfs's {@code work/work} when the sandbox ran in a user
   * namespace), which only root could otherwise enter. A failure names the path and the reason.
   */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      openUp(path);
      try (var children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleteRecursively(child);
        }
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      } catch (AccessDeniedException e) {
        throw new IOException("could not delete " + path + ": permission denied listing it (owner "
            + owner(path) + ", mode " + mode(path) + ")", e);
      }
    }
    try {
      Files.delete(path);
    } catch (DirectoryNotEmptyException e) {
      throw new IOException("could not empty " + path, e);
    } catch (AccessDeniedException e) {
      throw new IOException("could not delete " + path + ": permission denied (its directory is owned by "
          + owner(path.getParent()) + ", mode " + mode(path.getParent()) + ")", e);
    }
  }

  /** Adds u+rwx to a directory of ours; a directory of another user stays as it is. */
  private static void openUp(Path dir) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      if (!perms.containsAll(OWNER_ALL)) {
        perms = EnumSet.copyOf(perms);
        perms.addAll(OWNER_ALL);
        Files.setPosixFilePermissions(dir, perms);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      dir.toFile().setWritable(true, true);
      dir.toFile().setReadable(true, true);
      dir.toFile().setExecutable(true, true);
    }
  }

  private static final Set<PosixFilePermission> OWNER_ALL =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  private static String owner(Path path) {
    try {
      return path == null ? "?" : Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
    } catch (IOException | UnsupportedOperationException e) {
      return "?";
    }
  }

  private static String mode(Path path) {
    try {
      return path == null ? "?" : PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException | UnsupportedOperationException e) {
      return "?";
    }
  }
}
