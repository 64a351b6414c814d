package dev.msbuild.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stage cache in a directory, {@code <cacheDirectory>/stages/<key>/}: an entry is made in a
 * temporary directory and renamed into place whole; a hit touches the entry's {@code .used}
 * file, and when the entries pass the size bound the least recently used go first.
 */
public final class LocalStageCache implements StageCache {
  /** Keys are short file names: letters, digits, dashes (a kind and a hex digest). */
  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,120}");
  private static final String USED = ".used";
  /** The bound the build's stage cache keeps to unless told otherwise. */
  public static final long DEFAULT_MAX_BYTES = 4L << 30;

  private final Path root;
  private final long maxBytes;

  /** @param maxBytes the size past which least recently used entries are removed */
  public LocalStageCache(Path root, long maxBytes) {
    this.root = root.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
  }

  @Override
  public Optional<Entry> find(String key) {
    Path dir = root.resolve(checked(key));
    if (!Files.isRegularFile(dir.resolve(USED))) {
      return Optional.empty();
    }
    try {
      Files.setLastModifiedTime(dir.resolve(USED), FileTime.from(Instant.now()));
    } catch (IOException e) {
      // Only the eviction order suffers.
    }
    return Optional.of(new Entry(key, dir));
  }

  @Override
  public Entry put(String key, Filler filler) throws IOException {
    Optional<Entry> found = find(key);
    if (found.isPresent()) {
      return found.get();
    }
    Path dir = root.resolve(checked(key));
    Files.createDirectories(root);
    Path temp = root.resolve(".tmp-" + key + "-" + UUID.randomUUID());
    Files.createDirectory(temp);
    try {
      filler.fill(temp);
      Files.writeString(temp.resolve(USED), "");
      try {
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the stage cache " + root + " cannot rename atomically", e);
      } catch (FileSystemException e) {
        // Another build put the same key first (rename(2) answers EEXIST or ENOTEMPTY, which
        // the JDK reports under several exception types): its entry is as good as ours.
        if (!Files.isDirectory(dir)) {
          throw e;
        }
      }
    } finally {
      delete(temp);
    }
    evict();
    return find(key).orElseThrow(() -> new IOException("the stage cache entry " + dir + " vanished as it was made"));
  }

  private static String checked(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a stage cache key: " + key);
    }
    return key;
  }

  /** Removes least recently used entries until the whole is within the bound. */
  private void evict() throws IOException {
    record Sized(Path dir, long bytes, long used) {}
    List<Sized> entries = new ArrayList<>();
    long total = 0;
    try (Stream<Path> list = Files.list(root)) {
      for (Path dir : list.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        Path used = dir.resolve(USED);
        if (Files.isRegularFile(used)) {
          long bytes = size(dir);
          total += bytes;
          entries.add(new Sized(dir, bytes, Files.getLastModifiedTime(used).toMillis()));
        }
      }
    }
    entries.sort(Comparator.comparingLong(Sized::used));
    for (int i = 0; total > maxBytes && i < entries.size() - 1; i++) {
      // Removing .used first makes the entry a miss for readers before its files go.
      Files.deleteIfExists(entries.get(i).dir().resolve(USED));
      delete(entries.get(i).dir());
      total -= entries.get(i).bytes();
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
