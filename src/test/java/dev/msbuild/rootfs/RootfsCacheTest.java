package dev.msbuild.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  private static final String KEY = "sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void fillsOnceThenReuses() throws IOException {
    RootfsCache cache = new RootfsCache(dir);
    AtomicInteger fills = new AtomicInteger();
    Path first = cache.obtain(DIGEST, root -> {
      fills.incrementAndGet();
      assertEquals(List.of(), names(root), "the filler gets an empty directory");
      Files.writeString(root.resolve("marker"), "x");
    });
    Path second = cache.obtain(DIGEST, root -> fills.incrementAndGet());
    Path third = new RootfsCache(dir).obtain(DIGEST, root -> fills.incrementAndGet());
    assertEquals(dir.resolve(KEY), first);
    assertEquals(first, second);
    assertEquals(first, third);
    assertEquals(1, fills.get());
    assertEquals("x", Files.readString(second.resolve("marker")));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void differentDigestsGetDifferentRoots() throws IOException {
    RootfsCache cache = new RootfsCache(dir);
    Path a = cache.obtain(DIGEST, root -> Files.writeString(root.resolve("which"), "a"));
    Path b = cache.obtain("sha256:" + "f".repeat(64), root -> Files.writeString(root.resolve("which"), "b"));
    assertFalse(a.equals(b));
    assertEquals("a", Files.readString(a.resolve("which")));
    assertEquals("b", Files.readString(b.resolve("which")));
  }

  @Test
  void concurrentCallersShareOneFill() throws Exception {
    AtomicInteger fills = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch filling = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Path>> results =
          Stream.generate(
                  () ->
                      pool.submit(
                          () -> {
                            start.await();
                            // Separate cache objects, as separate Mojo executions have.
                            return new RootfsCache(dir).obtain(DIGEST, root -> {
                              fills.incrementAndGet();
                              filling.countDown();
                              sleep(300);
                              Files.writeString(root.resolve("marker"), "x");
                            });
                          }))
              .limit(2)
              .toList();
      start.countDown();
      assertTrue(filling.await(10, TimeUnit.SECONDS), "nobody filled");
      Path expected = results.get(0).get(30, TimeUnit.SECONDS);
      assertEquals(expected, results.get(1).get(30, TimeUnit.SECONDS));
      assertEquals("x", Files.readString(expected.resolve("marker")));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, fills.get());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aFillerThatThrowsLeavesNothingBehind() throws IOException {
    RootfsCache cache = new RootfsCache(dir);
    IOException e = assertThrows(IOException.class, () -> cache.obtain(DIGEST, root -> {
      Files.createDirectories(root.resolve("usr/bin"));
      Files.writeString(root.resolve("usr/bin/half"), "x");
      throw new IOException("layer broke");
    }));
    assertEquals("layer broke", e.getMessage());
    assertFalse(Files.exists(dir.resolve(KEY)));
    assertEquals(List.of(), leftovers());

    IllegalStateException runtime = new IllegalStateException("bug in the filler");
    assertSame(runtime, assertThrows(IllegalStateException.class, () -> cache.obtain(DIGEST, root -> {
      Files.writeString(root.resolve("half"), "x");
      throw runtime;
    })));
    assertFalse(Files.exists(dir.resolve(KEY)));
    assertEquals(List.of(), leftovers());

    // The next build fills it properly.
    Path root = cache.obtain(DIGEST, r -> Files.writeString(r.resolve("whole"), "y"));
    assertEquals(List.of("whole"), names(root));
  }

  @Test
  void leftoversOfAKilledBuildAreRemovedAndRefilled() throws IOException {
    Path leftover = Files.createDirectories(dir.resolve(KEY + ".tmp-xyz"));
    Files.createDirectories(leftover.resolve("usr/lib"));
    Files.writeString(leftover.resolve("usr/lib/half"), "x");
    Path otherImage = Files.createDirectories(dir.resolve("sha256-" + "e".repeat(64) + ".tmp-abc"));
    Path root = new RootfsCache(dir).obtain(DIGEST, r -> Files.writeString(r.resolve("whole"), "y"));
    assertFalse(Files.exists(leftover));
    assertEquals(List.of("whole"), names(root));
    assertTrue(Files.exists(otherImage), "another digest's unpack may still be running: not ours to remove");
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
    }
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
