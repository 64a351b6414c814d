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
 * for errors; past the timeout the process and everything it started are killed.
 */
final class ProcessRunner {
  private static final int TAIL_LINES = 200;

  record Result(int exitCode, String output, boolean timedOut) {}

  private ProcessRunner() {}

  static Result run(
      List<String> command, Path directory, Map<String, String> env, Duration timeout, Redactor redactor, BuildLog log,
      String prefix)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
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
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    int exit = process.waitFor();
    reader.join(5000);
    synchronized (tail) {
      return new Result(exit, redactor.redact(String.join("\n", tail)), !finished);
    }
  }
}
