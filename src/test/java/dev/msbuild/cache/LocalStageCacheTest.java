package dev.msbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStageCacheTest {
  @TempDir Path dir;

  @Test
  void anEntryIsFoundOnceItIsPutAndAFailedFillLeavesNothing() throws IOException {
    LocalStageCache cache = new LocalStageCache(dir, 1 << 20);
    assertEquals(Optional.empty(), cache.find("layer-1"));
    assertThrows(IOException.class, () -> cache.put("layer-1", d -> {
      Files.writeString(d.resolve("half"), "x");
      throw new IOException("killed half-way");
    }));
    assertEquals(Optional.empty(), cache.find("layer-1"));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
    StageCache.Entry entry = cache.put("layer-1", d -> Files.writeString(d.resolve("f"), "whole"));
    assertEquals("whole", Files.readString(entry.file("f")));
    assertEquals(entry, cache.find("layer-1").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> cache.find("../escape"));
  }

  @Test
  void buildsPuttingOneKeyAtOnceLeaveOneWholeEntry() throws Exception {
    LocalStageCache cache = new LocalStageCache(dir, 1 << 20);
    AtomicInteger fills = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<StageCache.Entry>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<StageCache.Entry> put = () -> cache.put("build-same", d -> {
          fills.incrementAndGet();
          Files.writeString(d.resolve("artifact"), "same bytes");
        });
        results.add(pool.submit(put));
      }
      for (Future<StageCache.Entry> r : results) {
        assertEquals("same bytes", Files.readString(r.get().file("artifact")));
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(fills.get() >= 1);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("build-same")), left.toList());
    }
  }

  @Test
  void pastTheBoundTheLeastRecentlyUsedGoFirst() throws IOException {
    LocalStageCache cache = new LocalStageCache(dir, 2500);
    cache.put("a", d -> Files.write(d.resolve("f"), new byte[1000]));
    cache.put("b", d -> Files.write(d.resolve("f"), new byte[1000]));
    Files.setLastModifiedTime(dir.resolve("a/.used"), FileTime.fromMillis(1000));
    Files.setLastModifiedTime(dir.resolve("b/.used"), FileTime.fromMillis(2000));
    cache.find("a"); // a is used again: b is now the oldest
    cache.put("c", d -> Files.write(d.resolve("f"), new byte[1000]));
    assertTrue(cache.find("a").isPresent());
    assertFalse(cache.find("b").isPresent());
    assertTrue(cache.find("c").isPresent());
  }
}
