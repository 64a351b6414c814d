package dev.msbuild.rootfs;

import dev.msbuild.config.BuildLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Unpacked image root filesystems, content-addressed by manifest digest. A root is filled in a
 * temporary directory and renamed into place only when complete, under a file lock, so parallel
 * builds (threads or processes) share one copy and a killed build leaves nothing that a later
 * build would trust.
 */
public final class RootfsCache {
  /** Threads of one JVM cannot hold two locks on one file, so they queue here first. */
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final BuildLog log;

  public RootfsCache(Path directory) {
    this(directory, BuildLog.NONE);
  }

  public RootfsCache(Path directory, BuildLog log) {
    this.directory = directory.toAbsolutePath().normalize();
    this.log = log;
  }

  /** Fills a root directory; called only when the cache has no complete copy. */
  @FunctionalInterface
  public interface Filler {
    void fill(Path emptyRoot) throws IOException;
  }

  /** The complete root for {@code digest}, filling it first when needed. */
  public Path obtain(String digest, Filler filler) throws IOException {
    String key = digest.replace(':', '-');
    Path finalRoot = directory.resolve(key);
    if (Files.isDirectory(finalRoot)) {
      return finalRoot;
    }
    Files.createDirectories(directory);
    Path lockFile = directory.resolve(key + ".lock");
    ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    local.lock();
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      if (Files.isDirectory(finalRoot)) {
        return finalRoot;
      }
      removeLeftovers(key);
      Path temp = Files.createTempDirectory(directory, key + ".tmp-");
      try {
        filler.fill(temp);
        Files.move(temp, finalRoot, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        LayerUnpacker.deleteRecursively(temp);
        throw e;
      }
      return finalRoot;
    } finally {
      local.unlock();
    }
  }

  /** Half-filled roots of builds that were killed: we hold the lock, so nobody is filling them. */
  private void removeLeftovers(String key) throws IOException {
    try (var entries = Files.list(directory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (entry.getFileName().toString().startsWith(key + ".tmp-")) {
          LayerUnpacker.deleteRecursively(entry);
          log.info("Removed an incomplete unpack left by an interrupted build: " + entry.getFileName());
        }
      }
    }
  }
}
