package dev.msbuild.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves paths inside an unpacked image the way the image itself would see them: symlinks are
 * followed by hand, absolute link targets are taken relative to the image root, and nothing
 * resolves outside it.
 */
public final class RootPaths {
  private static final int MAX_LINKS = 40;

  private RootPaths() {}

  /** Whether this process runs as root (it may then keep ownership and skip user namespaces). */
  public static boolean runningAsRoot() {
    return processId("uid") == 0;
  }

  /** This process's {@code uid} or {@code gid}, as /proc/self is owned; -1 where it cannot be read. */
  public static int processId(String which) {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + which);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** The host path of {@code imagePath} (absolute, in image terms), if it exists in the root. */
  public static Optional<Path> resolve(Path root, String imagePath) throws IOException {
    Path normalRoot = root.toAbsolutePath().normalize();
    String pending = imagePath;
    Path current = normalRoot;
    int hops = 0;
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String p : pending.split("/")) {
      if (!p.isEmpty()) {
        parts.addLast(p);
      }
    }
    while (!parts.isEmpty()) {
      String part = parts.removeFirst();
      if (part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(normalRoot) ? normalRoot : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      if (Files.isSymbolicLink(next)) {
        if (++hops > MAX_LINKS) {
          throw new IOException("too many symbolic links resolving " + imagePath);
        }
        String link = Files.readSymbolicLink(next).toString();
        java.util.Deque<String> linkParts = new java.util.ArrayDeque<>();
        for (String p : link.split("/")) {
          if (!p.isEmpty()) {
            linkParts.addLast(p);
          }
        }
        while (!linkParts.isEmpty()) {
          parts.addFirst(linkParts.removeLast());
        }
        if (link.startsWith("/")) {
          current = normalRoot;
        }
        continue;
      }
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      current = next;
    }
    return Optional.of(current);
  }
}
