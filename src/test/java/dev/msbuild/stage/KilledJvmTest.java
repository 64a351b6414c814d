package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build process dies with the JVM that started it: after kill -9 of that JVM (no shutdown hook
 * runs; the kernel's parent-death signal does it), and after SIGTERM (the shutdown hook kills the
 * whole tree, the process's own children too). Real JVMs, real processes, real signals.
 */
class KilledJvmTest {
  @TempDir Path dir;

  private Process child;
  private Optional<ProcessStamp> build = Optional.empty();
  private Optional<ProcessStamp> background = Optional.empty();

  @AfterEach
  void killLeftovers() {
    if (child != null) {
      child.destroyForcibly();
    }
    // A failed test must not leave a sleep 600 behind.
    for (Optional<ProcessStamp> stamp : java.util.List.of(build, background)) {
      stamp.filter(ProcessStamp::running).flatMap(s -> ProcessHandle.of(s.pid())).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void killMinus9OfTheJvmKillsTheBuildProcess() throws Exception {
    start();
    child.destroyForcibly(); // SIGKILL
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertGoneWithin(build.get(), 5, "the build process outlived its JVM's kill -9");
  }

  @Test
  void sigtermOfTheJvmKillsTheBuildProcessAndItsChildren() throws Exception {
    start();
    child.destroy(); // SIGTERM: shutdown hooks run
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertGoneWithin(build.get(), 5, "the build process outlived its JVM's SIGTERM");
    assertGoneWithin(background.get(), 5, "a child of the build process outlived its JVM's SIGTERM");
  }

  private void start() throws Exception {
    child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), BuildProcessInChildJvm.class.getName(), dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((build.isEmpty() || background.isEmpty()) && System.nanoTime() < deadline && child.isAlive()) {
      build = stampIn("build.pid");
      background = stampIn("background.pid");
      Thread.sleep(20);
    }
    assertTrue(build.isPresent() && background.isPresent(),
        "the build process never started: " + Files.readString(dir.resolve("child.log")));
    assertTrue(build.get().running() && background.get().running());
    assertFalse(Files.readString(dir.resolve("child.log")).contains("WARN"), Files.readString(dir.resolve("child.log")));
  }

  private Optional<ProcessStamp> stampIn(String file) throws IOException {
    Path path = dir.resolve(file);
    return Files.exists(path) ? ProcessStamp.of(Long.parseLong(Files.readString(path).trim())) : Optional.empty();
  }

  private static void assertGoneWithin(ProcessStamp process, int seconds, String message) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (process.running() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(process.running(), message + " (pid " + process.pid() + ")");
  }
}
