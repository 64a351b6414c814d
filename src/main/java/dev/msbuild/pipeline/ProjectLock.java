package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.MsbuildException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One build of a project at a time: from the builder stage to the last output file, a build
 * holds an exclusive lock on {@code <outputDirectory>/.lock} (a file lock, between processes:
 * two {@code mvn package msbuild:image} of one project) and on a lock of this JVM for the same
 * path (between threads, which cannot hold two file locks on one file). A second build waits,
 * and the log says so; the kernel releases the file lock of a build that dies.
 */
final class ProjectLock {
  static final String FILE = ".lock";

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

  private ProjectLock() {}

  /** Runs {@code work} holding the lock of {@code outputDirectory}, waiting for it as long as it takes. */
  static <T> T holding(Path outputDirectory, BuildLog log, Supplier<T> work) {
    Path file = outputDirectory.toAbsolutePath().normalize().resolve(FILE);
    ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(file, k -> new ReentrantLock());
    if (local.isHeldByCurrentThread()) {
      return work.get();
    }
    long start = System.nanoTime();
    boolean waited = false;
    try {
      if (!local.tryLock()) {
        log.info(waiting(file, "another thread of this JVM"));
        waited = true;
        local.lockInterruptibly();
      }
      try {
        Files.createDirectories(file.getParent());
        try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          FileLock lock = tryLock(channel);
          if (lock == null) {
            if (!waited) {
              log.info(waiting(file, holder(file)));
              waited = true;
            }
            lock = lock(channel);
          }
          try {
            if (waited) {
              log.info(String.format("Got the lock of this project after %.1f s", (System.nanoTime() - start) / 1e9));
            }
            writeHolder(channel);
            return work.get();
          } finally {
            lock.release();
          }
        }
      } finally {
        local.unlock();
      }
    } catch (FileLockInterruptionException | InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MsbuildException("The build was interrupted while it waited for another build of this project.", null,
          "run it again.");
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not lock " + file + " (one build of a project runs at a time): " + e.getMessage(), null,
          "check that " + file.getParent() + " is writable.", e);
    }
  }

  private static String waiting(Path file, String holder) {
    return "Waiting for another build of this project to finish (lock " + file + ", held by " + holder + ")";
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held in this JVM by a copy of this class from another class loader (another plugin version).
      return null;
    }
  }

  /** Blocks for the file lock; polls while another class loader of this JVM holds it, which blocking cannot wait for. */
  private static FileLock lock(FileChannel channel) throws IOException, InterruptedException {
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException e) {
        Thread.sleep(200);
      }
    }
  }

  /** Who holds the lock, as its holder wrote it; for the log only. */
  private static String holder(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? "a build that has just started" : text;
    } catch (IOException e) {
      return "another build";
    }
  }

  private static void writeHolder(FileChannel channel) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
  }
}
