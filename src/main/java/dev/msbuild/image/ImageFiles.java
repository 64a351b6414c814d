package dev.msbuild.image;

import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The names in an image's merged filesystem, read from its layers' tar headers (no file content):
 * enough to tell whether a path exists, following symlinks as the kernel would inside the image.
 * Later layers win; whiteouts remove, as in {@code mutate.Extract}.
 */
public final class ImageFiles {
  /** What a path is. */
  public enum Kind { FILE, DIRECTORY, SYMLINK }

  private record Node(Kind kind, String target) {}

  private final TreeMap<String, Node> nodes;

  private ImageFiles(TreeMap<String, Node> nodes) {
    this.nodes = nodes;
  }

  public static final ImageFiles EMPTY = new ImageFiles(new TreeMap<>());

  public static ImageFiles fromLayers(List<Path> layers) throws IOException {
    TreeMap<String, Node> nodes = new TreeMap<>();
    for (Path layer : layers) {
      TreeMap<String, Node> added = new TreeMap<>();
      try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(layer));
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          String name = normalize(entry.getName());
          if (name.isEmpty()) {
            continue;
          }
          int slash = name.lastIndexOf('/');
          String dir = slash < 0 ? "" : name.substring(0, slash);
          String base = name.substring(slash + 1);
          if (base.equals(".wh..wh..opq")) {
            // An opaque directory hides what earlier layers had beneath it.
            removeBelow(nodes, dir);
          } else if (base.startsWith(".wh.")) {
            String removed = dir.isEmpty() ? base.substring(4) : dir + "/" + base.substring(4);
            nodes.remove(removed);
            removeBelow(nodes, removed);
          } else if (entry.isSymbolicLink()) {
            added.put(name, new Node(Kind.SYMLINK, entry.getLinkName()));
          } else if (entry.isDirectory()) {
            added.put(name, new Node(Kind.DIRECTORY, null));
          } else {
            added.put(name, new Node(Kind.FILE, null));
          }
        }
      }
      for (Map.Entry<String, Node> e : added.entrySet()) {
        if (e.getValue().kind() != Kind.DIRECTORY) {
          removeBelow(nodes, e.getKey());
        }
        nodes.put(e.getKey(), e.getValue());
      }
    }
    return new ImageFiles(nodes);
  }

  private static void removeBelow(TreeMap<String, Node> nodes, String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    if (prefix.isEmpty()) {
      nodes.clear();
      return;
    }
    nodes.subMap(prefix, true, prefix + Character.MAX_VALUE, true).clear();
  }

  private static String normalize(String name) {
    String n = name.replaceFirst("^(\\./|/)+", "");
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  /** What an absolute path finally is, symlinks followed (at most 40, as Linux), if it exists. */
  public Optional<Kind> resolve(String absolutePath) {
    return resolve(absolutePath, new int[] {40});
  }

  private Optional<Kind> resolve(String path, int[] hops) {
    String current = "";
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        int slash = current.lastIndexOf('/');
        current = slash < 0 ? "" : current.substring(0, slash);
        continue;
      }
      String candidate = current.isEmpty() ? part : current + "/" + part;
      Node node = nodes.get(candidate);
      if (node == null) {
        // Directories are often implied by their contents rather than listed.
        if (i < parts.length - 1 && !nodes.subMap(candidate + "/", candidate + "/" + Character.MAX_VALUE).isEmpty()) {
          current = candidate;
          continue;
        }
        return Optional.empty();
      }
      if (node.kind() == Kind.SYMLINK) {
        if (--hops[0] < 0) {
          return Optional.empty();
        }
        String target = node.target().startsWith("/") ? node.target() : "/" + current + "/" + node.target();
        StringBuilder rest = new StringBuilder(target);
        for (int j = i + 1; j < parts.length; j++) {
          rest.append('/').append(parts[j]);
        }
        return resolve(rest.toString(), hops);
      }
      if (i == parts.length - 1) {
        return Optional.of(node.kind());
      }
      if (node.kind() != Kind.DIRECTORY) {
        return Optional.empty();
      }
      current = candidate;
    }
    return Optional.of(Kind.DIRECTORY);
  }

  /** Whether an absolute path exists in the image, symlinks followed. */
  public boolean exists(String absolutePath) {
    return resolve(absolutePath).isPresent();
  }

  /** Paths whose file name starts with {@code prefix}, under a directory, for messages. */
  public List<String> named(String directory, String prefix) {
    String dir = normalize(directory);
    return nodes.subMap(dir + "/", dir + "/" + Character.MAX_VALUE).keySet().stream()
        .filter(n -> n.indexOf('/', dir.length() + 1) < 0 && n.substring(dir.length() + 1).startsWith(prefix))
        .map(n -> "/" + n)
        .toList();
  }
}
