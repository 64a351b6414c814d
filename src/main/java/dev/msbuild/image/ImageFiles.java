package dev.msbuild.image;

import dev.msbuild.rootfs.BoundedTarInput;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import dev.msbuild.config.FinalStageSpec.Owner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The names in an image's merged filesystem, read from its layers' tar headers: enough to tell
 * whether a path exists, following symlinks as the kernel would inside the image. Later layers
 * win; whiteouts remove, as in {@code mutate.Extract}. The content of a few small files (the
 * user database, the loader's configuration) is kept when asked for; nothing else is read.
 * Layers come from registries and are hostile: every read is bounded by {@link Limits}.
 */
public final class ImageFiles {
  /** What a path is. */
  public enum Kind { FILE, DIRECTORY, SYMLINK }

  /**
   * @param content the file's bytes, for files whose content was asked for; else null
   * @param mode a directory's permission bits, as its layer gives them
   * @param owner a directory's owner, as its layer gives it
   */
  private record Node(Kind kind, String target, byte[] content, int mode, Owner owner) {
    Node(Kind kind, String target, byte[] content) {
      this(kind, target, content, 0755, Owner.ROOT);
    }
  }

  /**
   * Bounds on one read of an image's layers, over all of them.
   *
   * @param maxEntries tar entries
   * @param maxBytes bytes of the decompressed tar streams: headers and content, sparse files expanded
   * @param maxNameChars characters of names and link targets held in memory
   * @param maxKeptFileBytes the size of one file whose content is kept (/etc/passwd, ...)
   * @param maxKeptBytes all kept content together
   */
  public record Limits(long maxEntries, long maxBytes, long maxNameChars, int maxKeptFileBytes, long maxKeptBytes) {
    /**
     * Far above real bases (a large distribution image has some 100,000 entries, a few GB and a
     * few MB of names; an /etc/passwd of 4 MiB holds some 50,000 users), low enough that a
     * hostile layer ends in this message rather than a full heap or an endless read.
     */
    public static final Limits DEFAULT = new Limits(1_000_000, 32L << 30, 64L << 20, 4 << 20, 16L << 20);
  }

  /** Thrown when a layer goes past one of the {@link Limits}; the message says which and where. */
  public static final class LimitExceededException extends IOException {
    LimitExceededException(String message) {
      super(message);
    }
  }

  /** The longest path Linux resolves (PATH_MAX); a longer name or link target is not a real file. */
  private static final int PATH_MAX = 4096;

  private final TreeMap<String, Node> nodes;

  private ImageFiles(TreeMap<String, Node> nodes) {
    this.nodes = nodes;
  }

  public static final ImageFiles EMPTY = new ImageFiles(new TreeMap<>());

  /** The names of the layers' merged filesystem, read within {@link Limits#DEFAULT}; no content kept. */
  public static ImageFiles fromLayers(List<Path> layers) throws IOException {
    return read(layers, name -> false, Limits.DEFAULT);
  }

  /**
   * One pass over the layers, base first.
   *
   * @param keep which files' content to keep, by absolute path as the layer names them ({@code /etc/passwd})
   */
  public static ImageFiles read(List<Path> layers, Predicate<String> keep, Limits limits) throws IOException {
    Reading reading = new Reading(keep, limits);
    for (Path layer : layers) {
      reading.layer(layer);
    }
    return new ImageFiles(reading.nodes);
  }

  /** The state of one read: the merged names so far and what the bounds have used. */
  private static final class Reading {
    final TreeMap<String, Node> nodes = new TreeMap<>();
    final Predicate<String> keep;
    final Limits limits;
    long entries;
    long bytes;
    long nameChars;
    long keptBytes;

    Reading(Predicate<String> keep, Limits limits) {
      this.keep = keep;
      this.limits = limits;
    }

    void layer(Path layer) throws IOException {
      String file = layer.getFileName().toString();
      // Pulled layers are stored under their digest's hex: name them as the manifest does.
      String layerName = file.matches("[0-9a-f]{64}") ? "sha256:" + file : file;
      TreeMap<String, Node> added = new TreeMap<>();
      try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(layer));
          BoundedTarInput tar = new BoundedTarInput(in, layerName)) {
        TarArchiveEntry entry;
        while ((entry = tar.next()) != null) {
          if (++entries > limits.maxEntries()) {
            throw new LimitExceededException("it has more than " + limits.maxEntries() + " entries (layer " + layerName + ")");
          }
          long size = BoundedTarInput.contentSize(entry);
          // Content is skipped rather than read, but it is decompressed all the same.
          bytes += tar.metadataBytes() + size;
          if (bytes > limits.maxBytes()) {
            throw new LimitExceededException("its layers decompress to more than " + limits.maxBytes() + " bytes (layer "
                + layerName + ", at '" + entry.getName() + "', " + size + " bytes)");
          }
          String name = normalize(entry.getName());
          String target = entry.isSymbolicLink() || entry.isLink() ? entry.getLinkName() : "";
          if (name.length() > PATH_MAX || target.length() > PATH_MAX) {
            throw new LimitExceededException("an entry's name or link target is longer than " + PATH_MAX
                + " characters, which no path may be (layer " + layerName + ")");
          }
          nameChars += name.length() + target.length();
          if (nameChars > limits.maxNameChars()) {
            throw new LimitExceededException("its file names take more than " + limits.maxNameChars() + " characters (layer "
                + layerName + ")");
          }
          if (!name.isEmpty()) {
            apply(entry, name, tar, added, layerName);
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

    private void apply(TarArchiveEntry entry, String name, BoundedTarInput tar, TreeMap<String, Node> added, String layerName)
        throws IOException {
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
        added.put(name, new Node(Kind.SYMLINK, entry.getLinkName(), null));
      } else if (entry.isDirectory()) {
        added.put(name, new Node(Kind.DIRECTORY, null, null, entry.getMode() & 07777,
            new Owner(clamp(entry.getLongUserId()), clamp(entry.getLongGroupId()))));
      } else if (entry.isLink()) {
        // A hard link shares its target's content, which this layer or an earlier one holds.
        String source = normalize(entry.getLinkName());
        Node linked = added.containsKey(source) ? added.get(source) : nodes.get(source);
        byte[] content = linked != null && keep.test("/" + name) ? linked.content() : null;
        added.put(name, new Node(Kind.FILE, null, content));
      } else if (entry.isFile() && keep.test("/" + name)) {
        added.put(name, new Node(Kind.FILE, null, content(entry, name, tar, layerName)));
      } else {
        added.put(name, new Node(Kind.FILE, null, null));
      }
    }

    private byte[] content(TarArchiveEntry entry, String name, BoundedTarInput tar, String layerName) throws IOException {
      long size = BoundedTarInput.contentSize(entry);
      if (size > limits.maxKeptFileBytes()) {
        throw new LimitExceededException("its /" + name + " is " + size + " bytes, more than the " + limits.maxKeptFileBytes()
            + " bytes such a file may have (layer " + layerName + ")");
      }
      keptBytes += size;
      if (keptBytes > limits.maxKeptBytes()) {
        throw new LimitExceededException("the files read from it (/etc/passwd, /etc/group, the loader's configuration) take more "
            + "than " + limits.maxKeptBytes() + " bytes (layer " + layerName + ", at /" + name + ")");
      }
      return tar.content().readNBytes((int) size);
    }
  }

  private static int clamp(long id) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, id));
  }

  /**
   * What a path itself is (its last part not followed), for a layer that puts something there:
   * {@code SYMLINK}, or a {@code DIRECTORY} the layers list, with its mode and owner.
   */
  public Optional<LayerEntry> entryAt(String absolutePath) {
    Optional<String> parent = resolvedName(parentOf(absolutePath), new int[] {40});
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    String last = normalize(absolutePath);
    last = last.substring(last.lastIndexOf('/') + 1);
    String name = parent.get().isEmpty() ? last : parent.get() + "/" + last;
    Node node = nodes.get(name);
    if (node == null || node.kind() == Kind.FILE) {
      return Optional.empty();
    }
    return Optional.of(node.kind() == Kind.SYMLINK
        ? new LayerEntry.SymlinkEntry(absolutePath, node.target(), Owner.ROOT)
        : new LayerEntry.DirectoryEntry(absolutePath, node.mode(), node.owner()));
  }

  private static String parentOf(String absolutePath) {
    String n = normalize(absolutePath);
    int slash = n.lastIndexOf('/');
    return slash < 0 ? "/" : "/" + n.substring(0, slash);
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

  /**
   * These files with entries of a layer of ours on top (copies, extra files, the artifacts), as
   * the final image will have them. Content is not kept for them.
   */
  public ImageFiles with(List<LayerEntry> entries) {
    TreeMap<String, Node> merged = new TreeMap<>(nodes);
    for (LayerEntry entry : entries) {
      String name = normalize(entry.imagePath());
      if (name.isEmpty()) {
        continue;
      }
      Node node = entry instanceof LayerEntry.DirectoryEntry d ? new Node(Kind.DIRECTORY, null, null, d.mode(), d.owner())
          : entry instanceof LayerEntry.SymlinkEntry link ? new Node(Kind.SYMLINK, link.target(), null)
          : new Node(Kind.FILE, null, null);
      if (node.kind() != Kind.DIRECTORY) {
        removeBelow(merged, name);
      }
      merged.put(name, node);
    }
    return new ImageFiles(merged);
  }

  /** What an absolute path finally is, symlinks followed (at most 40, as Linux), if it exists. */
  public Optional<Kind> resolve(String absolutePath) {
    return resolvedName(absolutePath, new int[] {40}).map(name -> {
      Node node = nodes.get(name);
      return node == null ? Kind.DIRECTORY : node.kind();
    });
  }

  /** The content of a file whose content was kept when the layers were read, symlinks followed. */
  public Optional<byte[]> content(String absolutePath) {
    return resolvedName(absolutePath, new int[] {40}).map(nodes::get).map(Node::content).map(byte[]::clone);
  }

  /** The name (no leading slash) a path resolves to; "" for the root, or a directory only implied by its contents. */
  private Optional<String> resolvedName(String path, int[] hops) {
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
        return resolvedName(rest.toString(), hops);
      }
      if (i == parts.length - 1) {
        return Optional.of(candidate);
      }
      if (node.kind() != Kind.DIRECTORY) {
        return Optional.empty();
      }
      current = candidate;
    }
    return Optional.of(current);
  }

  /** Whether an absolute path exists in the image, symlinks followed. */
  public boolean exists(String absolutePath) {
    return resolve(absolutePath).isPresent();
  }

  /** Paths whose file name starts with {@code prefix}, directly under a directory (not followed), sorted. */
  public List<String> named(String directory, String prefix) {
    String dir = normalize(directory);
    return nodes.subMap(dir + "/", dir + "/" + Character.MAX_VALUE).keySet().stream()
        .filter(n -> n.indexOf('/', dir.length() + 1) < 0 && n.substring(dir.length() + 1).startsWith(prefix))
        .map(n -> "/" + n)
        .toList();
  }
}
