package dev.msbuild.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.registry.Repository;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Directories of files that are named by their content and never change once written (Go's build
 * cache, its module download cache) kept in the registry as chunks: each export adds one chunk of
 * the files the registry lacks, so a second export sends only what is new. Past
 * {@code <cache><maxBytes>} or {@link #MAX_CHUNKS} chunks, the next export writes one chunk of
 * the files used most recently (Go touches what it uses), and the rest are left behind.
 *
 * <p>A directory is imported only into an empty one on this machine (a runner's first build):
 * files this machine already has are newer than anything the registry could add.
 */
public final class DirectoryShare {
  /** Chunks past which an export compacts: an import downloads each of them. */
  static final int MAX_CHUNKS = 24;

  /**
   * One shared directory.
   *
   * @param what for the log: "Go build cache (linux/amd64)"
   * @param tag its key in the registry
   * @param directory where it is on this machine
   * @param keep which of its files (relative names, '/'-separated) are shared
   */
  public record Directory(String what, String tag, Path directory, Predicate<String> keep) {}

  private final CacheRegistry registry;
  private final Map<String, Directory> pending = new LinkedHashMap<>();

  public DirectoryShare(CacheRegistry registry) {
    this.registry = registry;
  }

  /** A share that never imports or exports anything: no {@code <cache><registry>}. */
  public static DirectoryShare none() {
    return new DirectoryShare(null);
  }

  /** Before a build uses {@code dir}: fills it from the registry when it is empty on this machine. */
  public void importIfEmpty(Directory dir) {
    if (registry == null || !registry.usable() || !isEmpty(dir)) {
      return;
    }
    long start = System.nanoTime();
    Optional<Remote> got = registry.attempt("import the " + dir.what() + " (" + dir.tag() + ")", repository -> {
      Optional<Remote> remote = remote(repository, dir.tag());
      if (remote.isEmpty()) {
        registry.miss();
        registry.log().info("Registry cache: no " + dir.what() + " under " + dir.tag() + " yet");
        return null;
      }
      Path parent = dir.directory().toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path fresh = parent.resolve(".tmp-import-" + dir.directory().getFileName() + "-" + UUID.randomUUID());
      try {
        Files.createDirectory(fresh);
        for (Chunk chunk : remote.get().chunks()) {
          Path file = registry.download(repository, chunk.layer());
          try {
            CacheArchive.unpack(file, chunk.layer().digest(), fresh, Long.MAX_VALUE);
          } finally {
            Files.deleteIfExists(file);
          }
        }
        place(fresh, dir.directory());
      } finally {
        if (Files.exists(fresh, LinkOption.NOFOLLOW_LINKS)) {
          LayerUnpacker.deleteRecursively(fresh);
        }
      }
      registry.hit();
      return remote.get();
    });
    got.ifPresent(r -> registry.log().info(String.format(
        "Registry cache: imported the %s from %s: %,d files in %d chunk%s, %s, in %.1f s", dir.what(), registry.spec().where(),
        r.files().size(), r.chunks().size(), r.chunks().size() == 1 ? "" : "s",
        CacheRegistry.bytes(r.chunks().stream().mapToLong(c -> c.layer().size()).sum()), (System.nanoTime() - start) / 1e9)));
  }

  /** After a build wrote to {@code dir}: it is exported by {@link #export}, once per tag. */
  public synchronized void changed(Directory dir) {
    if (registry != null) {
      pending.putIfAbsent(dir.tag(), dir);
    }
  }

  /** Sends each changed directory's new files as one chunk (read mode, or no registry: nothing). */
  public void export() {
    List<Directory> dirs;
    synchronized (this) {
      dirs = new ArrayList<>(pending.values());
      pending.clear();
    }
    if (registry == null) {
      return;
    }
    for (Directory dir : dirs) {
      if (registry.writable()) {
        exportOne(dir);
      }
    }
  }

  private void exportOne(Directory dir) {
    registry.attempt("export the " + dir.what() + " (" + dir.tag() + ")", repository -> {
      List<String> local = CacheArchive.files(dir.directory(), dir.keep());
      if (local.isEmpty()) {
        return null;
      }
      Optional<Remote> remote = remote(repository, dir.tag());
      Set<String> there = remote.map(Remote::files).orElse(Set.of());
      List<String> added = local.stream().filter(n -> !there.contains(n)).toList();
      if (added.isEmpty()) {
        registry.log().info("Registry cache: the " + dir.what() + " in " + registry.spec().where() + " has all "
            + String.format("%,d", local.size()) + " files; nothing to export");
        return null;
      }
      List<Chunk> kept = new ArrayList<>(remote.map(Remote::chunks).orElse(List.of()));
      long keptBytes = kept.stream().mapToLong(c -> c.layer().size()).sum();
      long addedBytes = size(dir.directory(), added);
      List<String> chunkFiles = added;
      String how = "added";
      if (kept.size() >= MAX_CHUNKS || keptBytes + addedBytes > registry.spec().maxBytes()) {
        chunkFiles = recent(dir.directory(), local, registry.spec().maxBytes());
        kept.clear();
        how = chunkFiles.size() < local.size()
            ? "compacted to the " + String.format("%,d", chunkFiles.size()) + " most recently used files within "
                + CacheRegistry.bytes(registry.spec().maxBytes())
            : "compacted into one chunk";
      }
      Path file = registry.temp("chunk.tar.gz");
      try {
        Descriptor layer = CacheArchive.write(dir.directory(), chunkFiles, file);
        registry.upload(repository, layer, file, null);
        kept.add(new Chunk(layer, List.copyOf(chunkFiles)));
        byte[] config = config(kept);
        registry.tag(repository, dir.tag(), CacheRegistry.DIRECTORY, Descriptor.of(CacheRegistry.DIRECTORY_FILES, config), config,
            kept.stream().map(Chunk::layer).toList());
        registry.log().info(String.format("Registry cache: exported the %s to %s: %,d new files in one chunk (%s), %s; %d chunk%s in all",
            dir.what(), registry.spec().where(), added.size(), CacheRegistry.bytes(layer.size()), how, kept.size(),
            kept.size() == 1 ? "" : "s"));
      } finally {
        Files.deleteIfExists(file);
      }
      return null;
    });
  }

  /** One chunk: a layer, and the files it holds. */
  record Chunk(Descriptor layer, List<String> files) {}

  /** What the registry holds under a tag: its chunks in order, and every file they hold. */
  record Remote(List<Chunk> chunks, Set<String> files) {}

  private Optional<Remote> remote(Repository repository, String tag) throws IOException {
    Optional<Manifest.Image> manifest = registry.manifest(repository, tag, CacheRegistry.DIRECTORY);
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    JsonNode config = ManifestCodec.JSON.readTree(repository.blobBytes(manifest.get().config()));
    JsonNode chunks = config.path("chunks");
    Map<Digest, List<String>> filesOf = new LinkedHashMap<>();
    for (JsonNode chunk : chunks) {
      List<String> names = new ArrayList<>();
      chunk.path("files").forEach(n -> names.add(n.asText()));
      filesOf.put(Digest.parse(chunk.path("digest").asText()), names);
    }
    List<Chunk> list = new ArrayList<>();
    Set<String> all = new HashSet<>();
    for (Descriptor layer : manifest.get().layers()) {
      List<String> names = filesOf.get(layer.digest());
      if (names == null) {
        throw new IOException("the cache entry " + tag + " does not list the files of its chunk " + layer.digest());
      }
      list.add(new Chunk(layer, names));
      all.addAll(names);
    }
    return Optional.of(new Remote(list, all));
  }

  private static byte[] config(List<Chunk> chunks) throws IOException {
    ObjectNode root = ManifestCodec.JSON.createObjectNode();
    ArrayNode array = root.putArray("chunks");
    for (Chunk chunk : chunks) {
      ObjectNode node = array.addObject();
      node.put("digest", chunk.layer().digest().toString());
      ArrayNode files = node.putArray("files");
      chunk.files().forEach(files::add);
    }
    return ManifestCodec.JSON.writeValueAsBytes(root);
  }

  /** Whether {@code dir} has none of the files it shares; stops at the first (a warm Go cache holds thousands). */
  private static boolean isEmpty(Directory dir) {
    Path root = dir.directory();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.noneMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
          && dir.keep().test(root.relativize(p).toString().replace('\\', '/')));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Puts the imported directory in place of an empty one; when another build filled it meanwhile, its files stay. */
  private static void place(Path fresh, Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> list = Files.list(target)) {
        if (list.findAny().isPresent()) {
          // Go's own files (README, trim.txt) only, else we would not be importing: keep them beside ours.
          try (Stream<Path> ours = Files.list(fresh)) {
            for (Path p : ours.toList()) {
              Path to = target.resolve(p.getFileName().toString());
              if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
              }
            }
          }
          return;
        }
      }
      Files.delete(target);
    }
    try {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + fresh + " into place atomically", e);
    } catch (FileSystemException e) {
      if (!Files.isDirectory(target)) {
        throw e;
      }
    }
  }

  private static long size(Path dir, List<String> names) throws IOException {
    long total = 0;
    for (String name : names) {
      total += Files.size(dir.resolve(name));
    }
    return total;
  }

  /** The most recently used of {@code names}, newest first, whose sizes add up to at most {@code bound}; in name order. */
  static List<String> recent(Path dir, List<String> names, long bound) throws IOException {
    record Used(String name, long time, long size) {}
    List<Used> used = new ArrayList<>();
    for (String name : names) {
      Path p = dir.resolve(name);
      used.add(new Used(name, Files.getLastModifiedTime(p).toMillis(), Files.size(p)));
    }
    used.sort(Comparator.comparingLong(Used::time).reversed().thenComparing(Used::name));
    List<String> kept = new ArrayList<>();
    long total = 0;
    for (Used u : used) {
      if (total + u.size() > bound) {
        continue;
      }
      total += u.size();
      kept.add(u.name());
    }
    kept.sort(null);
    return kept;
  }
}
