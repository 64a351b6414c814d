package dev.msbuild.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One build of a project at a time, between threads and between processes; the waiting one says so. */
class ProjectLockTest {
  @TempDir Path dir;

  @Test
  void aSecondThreadWaitsForTheFirst() throws Exception {
    Path out = dir.resolve("target/msbuild");
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> ProjectLock.holding(out, BuildLog.NONE, () -> {
      holding.countDown();
      await(release);
      order.add("first done");
      return null;
    }));
    assertTrue(holding.await(10, TimeUnit.SECONDS));
    List<String> logged = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> ProjectLock.holding(out, log(logged), () -> {
      order.add("second ran");
      return null;
    }));
    waitForLine(logged);
    assertEquals("Waiting for another build of this project to finish (lock " + out.resolve(".lock")
        + ", held by another thread of this JVM)", logged.get(0));
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("first done", "second ran"), order);
    assertTrue(logged.get(1).startsWith("Got the lock of this project after "), logged.toString());
  }

  @Test
  void aBuildWaitsForAnotherProcess() throws Exception {
    Path out = dir.resolve("target/msbuild");
    Path release = dir.resolve("release");
    Path childLog = dir.resolve("child.log");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), HoldLockInChildJvm.class.getName(), out.toString(), release.toString())
        .redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(childLog).contains("holding") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<String> logged = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<String> build = CompletableFuture.supplyAsync(() -> ProjectLock.holding(out, log(logged), () -> "built"));
      waitForLine(logged);
      assertEquals("Waiting for another build of this project to finish (lock " + out.resolve(".lock") + ", held by pid "
          + holder.pid() + ")", logged.get(0));
      Thread.sleep(200);
      assertFalse(build.isDone(), "the build did not wait");
      Files.writeString(release, "");
      assertEquals("built", build.get(30, TimeUnit.SECONDS));
      assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
    } finally {
      holder.destroyForcibly();
    }
  }

  private static void waitForLine(List<String> logged) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (logged.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(logged.isEmpty(), "nothing said it waits");
  }

  private static BuildLog log(List<String> lines) {
    return new BuildLog() {
      @Override public void info(String message) { lines.add(message); }
      @Override public void warn(String message) { lines.add(message); }
      @Override public void debug(String message) {}
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
