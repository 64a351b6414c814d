package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Runs a command, streaming its output to the build log and keeping its tail for errors. */
final class ProcessRunner {
  private static final int TAIL_LINES = 200;

  record Result(int exitCode, String output) {}

  private ProcessRunner() {}

  static Result run(List<String> command, Path directory, Map<String, String> env, BuildLog log, String prefix)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.info(prefix + line);
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
    return new Result(process.waitFor(), String.join("\n", tail));
  }
}
