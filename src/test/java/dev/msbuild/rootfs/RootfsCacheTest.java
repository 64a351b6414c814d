package dev.msbuild.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsCacheTest {
  private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void fillsOnceThenReuses() throws IOException {
    RootfsCache cache = new RootfsCache(dir);
    AtomicInteger fills = new AtomicInteger();
    Path first = cache.obtain(DIGEST, root -> {
      fills.incrementAndGet();
      Files.writeString(root.resolve("marker"), "x");
    });
    Path second = cache.obtain(DIGEST, root -> fills.incrementAndGet());
    assertEquals(first, second);
    assertEquals(1, fills.get());
    assertEquals("x", Files.readString(second.resolve("marker")));
  }

  @Test
  void concurrentBuildsShareOneFill() throws Exception {
    AtomicInteger fills = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> results = Stream.generate(() -> pool.submit(() -> {
        start.await();
        // Separate cache objects, as separate Mojo executions have.
        return new RootfsCache(dir).obtain(DIGEST, root -> {
          fills.incrementAndGet();
          sleep();
          Files.writeString(root.resolve("marker"), "x");
        });
      })).limit(4).toList();
      start.countDown();
      Path expected = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<Path> result : results) {
        assertEquals(expected, result.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, fills.get());
  }

  @Test
  void aFailedFillLeavesNothingBehind() throws IOException {
    RootfsCache cache = new RootfsCache(dir);
    assertThrows(IOException.class, () -> cache.obtain(DIGEST, root -> {
      Files.writeString(root.resolve("half"), "x");
      throw new IOException("layer broke");
    }));
    assertEquals(List.of(), names(d -> !d.endsWith(".lock")));
  }

  @Test
  void leftoversOfAKilledBuildAreRemovedAndRefilled() throws IOException {
    Path leftover = Files.createDirectories(dir.resolve("sha256-" + DIGEST.substring(7) + ".tmp-12345"));
    Files.writeString(leftover.resolve("half"), "x");
    Path root = new RootfsCache(dir).obtain(DIGEST, r -> Files.writeString(r.resolve("whole"), "y"));
    assertFalse(Files.exists(leftover));
    assertEquals("y", Files.readString(root.resolve("whole")));
    assertFalse(Files.exists(root.resolve("half")));
  }

  private List<String> names(java.util.function.Predicate<String> keep) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(keep).toList();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
