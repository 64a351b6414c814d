package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a build process: its output streams to the build log (secrets masked) and its tail is kept
 * for errors; past the timeout the process and everything it started are killed. The process
 * dies with this JVM: a shutdown hook kills its tree when the JVM is stopped, and
 * {@link ParentDeath} has the kernel kill it when the JVM is killed outright.
 */
final class ProcessRunner {
  private static final int TAIL_LINES = 200;

  record Result(int exitCode, String output, boolean timedOut) {}

  private ProcessRunner() {}

  /**
   * Starts {@code command} and waits for it, in the calling thread. Both must happen in one
   * thread: the kernel sends the parent-death signal when the thread that started the process
   * ends, so a process started by a short-lived thread would be killed with it.
   */
  static Result run(
      List<String> command, Path directory, Map<String, String> env, Duration timeout, Redactor redactor, BuildLog log,
      String prefix)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(ParentDeath.wrap(command, log)).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    try (OnShutdown hook = OnShutdown.run("msbuild-kill-build", () -> killTree(process))) {
      return await(process, timeout, redactor, log, prefix);
    }
  }

  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private static Result await(Process process, Duration timeout, Redactor redactor, BuildLog log, String prefix)
      throws InterruptedException {
    Deque<String> tail = new ArrayDeque<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  log.info(prefix + redactor.redact(line));
                  synchronized (tail) {
                    // Kept as printed and masked as a whole at the end, where a secret of
                    // several lines can be recognised whole, short lines and all.
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                      tail.removeFirst();
                    }
                  }
                }
              } catch (IOException ignored) {
                // The process was killed; what it printed so far is kept.
              }
            },
            "msbuild-build-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished = false;
    try {
      // A compile can be silent for minutes: say every 15 s that it still runs, and for how long.
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      for (long left = deadline - start; left > 0 && !finished; left = deadline - System.nanoTime()) {
        finished = process.waitFor(Math.min(left, HEARTBEAT.toNanos()), TimeUnit.NANOSECONDS);
        if (!finished && System.nanoTime() < deadline) {
          log.info(prefix + "... still running after " + (System.nanoTime() - start) / 1_000_000_000L + " s");
        }
      }
    } finally {
      if (process.isAlive()) {
        killTree(process);
      }
    }
    int exit = process.waitFor();
    reader.join(5000);
    synchronized (tail) {
      return new Result(exit, redactor.redact(String.join("\n", tail)), !finished);
    }
  }

  /** The process and everything it started, children found before their parent dies. */
  private static void killTree(Process process) {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroyForcibly();
    tree.forEach(ProcessHandle::destroyForcibly);
  }
}
