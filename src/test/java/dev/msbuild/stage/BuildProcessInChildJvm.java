package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run in a separate JVM by {@link KilledJvmTest}: starts a long build process through
 * {@link ProcessRunner}, as the builder stage does, and waits for it. The process writes its pid
 * to {@code build.pid} and that of a child of its own to {@code background.pid}.
 */
public final class BuildProcessInChildJvm {
  private BuildProcessInChildJvm() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ProcessRunner.run(
        List.of("/bin/sh", "-c", "sleep 600 & echo $! > background.pid.part && mv background.pid.part background.pid;"
            + " echo $$ > build.pid.part && mv build.pid.part build.pid; wait"),
        dir, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), Duration.ofMinutes(10),
        new Redactor(List.of()), new BuildLog() {
          @Override public void info(String message) { System.out.println(message); }
          @Override public void warn(String message) { System.out.println("WARN " + message); }
          @Override public void debug(String message) {}
        }, "[build] ");
  }
}
