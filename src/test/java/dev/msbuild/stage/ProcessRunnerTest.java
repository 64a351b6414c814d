package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuilderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real shell prints a multi-line secret: neither the streamed log nor the error tail shows any of it. */
class ProcessRunnerTest {
  @TempDir Path dir;

  @Test
  void aPrintedKeyIsMaskedInTheLogAndInTheTail() throws Exception {
    Files.writeString(dir.resolve("key.pem"), RedactorTest.PEM);
    List<String> logged = Collections.synchronizedList(new ArrayList<>());
    Redactor redactor = new Redactor(List.of(new BuilderSpec.Secret("key", RedactorTest.PEM)));
    ProcessRunner.Result result = ProcessRunner.run(
        List.of("/bin/sh", "-c", "echo before; cat key.pem; echo '  indented:'; sed 's/^/    /' key.pem; echo after; exit 3"),
        dir, Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30), redactor, recording(logged), "[build] ");
    assertEquals(3, result.exitCode());
    List<String> build = logged.stream().filter(l -> l.startsWith("[build] ")).toList();
    assertEquals("[build] before", build.get(0));
    assertEquals("[build] after", build.get(build.size() - 1));
    assertEquals(List.of("[build] ****", "[build] ****", "[build] ****", "[build] Xw==", "[build] ****"), build.subList(1, 6));
    for (String line : RedactorTest.PEM.split("\n")) {
      if (line.length() >= Redactor.MIN_LINE) {
        assertFalse(String.join("\n", logged).contains(line), "the log shows " + line);
        assertFalse(result.output().contains(line), "the tail shows " + line);
      }
    }
    // The tail is masked as a whole: the key goes as one, its short line with it.
    assertTrue(result.output().startsWith("before\n****\n  indented:\n"), result.output());
    assertTrue(result.output().endsWith("\nafter"), result.output());
  }

  static BuildLog recording(List<String> lines) {
    return new BuildLog() {
      @Override public void info(String message) { lines.add(message); }
      @Override public void warn(String message) { lines.add(message); }
      @Override public void debug(String message) {}
    };
  }
}
