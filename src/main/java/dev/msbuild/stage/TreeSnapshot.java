package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.image.LayerEntry;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a root filesystem holds, path by path, so that what a RUN changed becomes a layer: new and
 * changed files, directories and links as entries, deleted ones as OCI whiteouts. A change is one
 * of content, type, mode, owner or link target, never of a time: the same command on the same
 * files gives the same layer.
 */
final class TreeSnapshot {
  enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

  /**
   * One path's state. {@code ino}, {@code size}, {@code mtime} and {@code ctime} only tell whether
   * the content must be compared; {@code hash} is the content's, for regular files.
   */
  record Node(Kind kind, int mode, int uid, int gid, long size, Object ino, FileTime mtime, FileTime ctime, String link,
      String hash) {
    boolean sameMetadata(Node o) {
      return kind == o.kind && mode == o.mode && uid == o.uid && gid == o.gid && Objects.equals(link, o.link);
    }

    boolean untouched(Node o) {
      return size == o.size && Objects.equals(ino, o.ino) && Objects.equals(mtime, o.mtime) && Objects.equals(ctime, o.ctime);
    }
  }

  private final Path root;
  private final TreeMap<String, Node> nodes;

  private TreeSnapshot(Path root, TreeMap<String, Node> nodes) {
    this.root = root;
    this.nodes = nodes;
  }

  /** Every path under {@code root} except the given mount points' contents, files hashed. */
  static TreeSnapshot take(Path root, Set<String> skipped) throws IOException {
    return take(root, skipped, null);
  }

  /** As {@link #take(Path, Set)}, hashing only files that {@code before} does not show untouched. */
  private static TreeSnapshot take(Path root, Set<String> skipped, TreeSnapshot before) throws IOException {
    TreeMap<String, Node> nodes = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String path = imagePath(root, dir);
        if (!path.equals("/")) {
          nodes.put(path, node(dir, null));
        }
        return skipped.contains(path) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String path = imagePath(root, file);
        nodes.put(path, node(file, before == null ? null : before.nodes.get(path)));
        return FileVisitResult.CONTINUE;
      }
    });
    return new TreeSnapshot(root, nodes);
  }

  /** The same root as it is now, compared with this snapshot cheaply where the kernel says nothing changed. */
  TreeSnapshot again(Set<String> skipped) throws IOException {
    return take(root, skipped, this);
  }

  private static Node node(Path path, Node before) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size,ino,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
    int raw = (Integer) a.get("mode");
    Kind kind = switch (raw & 0170000) {
      case 0100000 -> Kind.FILE;
      case 0040000 -> Kind.DIRECTORY;
      case 0120000 -> Kind.SYMLINK;
      default -> Kind.OTHER;
    };
    String link = kind == Kind.SYMLINK ? Files.readSymbolicLink(path).toString() : null;
    long size = (Long) a.get("size");
    Object ino = a.get("ino");
    FileTime mtime = (FileTime) a.get("lastModifiedTime");
    FileTime ctime = (FileTime) a.get("ctime");
    String hash = null;
    if (kind == Kind.FILE) {
      Node probe = new Node(kind, 0, 0, 0, size, ino, mtime, ctime, null, null);
      hash = before != null && before.kind == Kind.FILE && before.untouched(probe) ? before.hash : InputHash.fileHex(path);
    }
    return new Node(kind, raw & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), size, ino, mtime, ctime, link, hash);
  }

  private static String imagePath(Path root, Path path) {
    String relative = root.relativize(path).toString();
    return relative.isEmpty() ? "/" : "/" + relative;
  }

  /**
   * What changed from {@code before} to this snapshot, as layer entries: whiteouts for what is gone
   * (the topmost path only), then what is new or changed with the directories that hold it.
   *
   * @param owners how an owner on this machine's disk is written in the layer
   */
  List<LayerEntry> changesSince(TreeSnapshot before, java.util.function.Function<Node, Owner> owners, BuildLog log) {
    List<LayerEntry> entries = new ArrayList<>();
    TreeSet<String> deleted = new TreeSet<>();
    for (var old : before.nodes.entrySet()) {
      String path = old.getKey();
      Node now = nodes.get(path);
      boolean replaced = now != null && now.kind != old.getValue().kind;
      if ((now == null || replaced) && !underAny(deleted, path)) {
        deleted.add(path);
        entries.add(LayerEntry.whiteout(path));
      }
    }
    TreeSet<String> emitted = new TreeSet<>();
    for (var current : nodes.entrySet()) {
      String path = current.getKey();
      Node now = current.getValue();
      Node old = before.nodes.get(path);
      boolean changed = old == null || !now.sameMetadata(old) || (now.kind == Kind.FILE && !now.hash.equals(old.hash));
      if (!changed) {
        continue;
      }
      if (now.kind == Kind.OTHER) {
        log.warn("RUN made " + path + ", a device, pipe or socket: not kept in the layer");
        continue;
      }
      emit(path, now, owners, entries, emitted);
      // The directories that hold it, as they are now, so that the layer alone says their modes.
      for (String parent = parentOf(path); !parent.equals("/") && !emitted.contains(parent); parent = parentOf(parent)) {
        Node dir = nodes.get(parent);
        if (dir != null && dir.kind == Kind.DIRECTORY) {
          emit(parent, dir, owners, entries, emitted);
        }
      }
    }
    return entries;
  }

  private void emit(String path, Node node, java.util.function.Function<Node, Owner> owners, List<LayerEntry> entries,
      Set<String> emitted) {
    Owner owner = owners.apply(node);
    emitted.add(path);
    switch (node.kind) {
      case DIRECTORY -> entries.add(new LayerEntry.DirectoryEntry(path, node.mode, owner));
      case SYMLINK -> entries.add(new LayerEntry.SymlinkEntry(path, node.link, owner));
      case FILE -> entries.add(new LayerEntry.FileEntry(path, root.resolve(path.substring(1)), node.mode, owner));
      default -> { }
    }
  }

  private static boolean underAny(Set<String> deleted, String path) {
    for (String parent = parentOf(path); !parent.equals("/"); parent = parentOf(parent)) {
      if (deleted.contains(parent)) {
        return true;
      }
    }
    return false;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
