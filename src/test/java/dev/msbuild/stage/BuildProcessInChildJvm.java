package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuilderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run in a separate JVM by {@link KilledJvmTest} and {@link SandboxDiesWithJvmIT}: starts a long
 * build process through {@link ProcessRunner}, as the builder stage does, and waits for it.
 *
 * <p>{@code <dir>}: the process writes its pid to {@code build.pid} and that of a child of its own
 * to {@code background.pid}. {@code <dir> bwrap|unshare <root>}: the real sandbox, over the builder
 * image root {@code root}, runs two sleeps and touches {@code out/started}.
 */
public final class BuildProcessInChildJvm {
  private BuildProcessInChildJvm() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    BuildLog log = new BuildLog() {
      @Override public void info(String message) { System.out.println(message); }
      @Override public void warn(String message) { System.out.println("WARN " + message); }
      @Override public void debug(String message) {}
    };
    Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    List<String> command;
    if (args.length == 1) {
      command = List.of("/bin/sh", "-c", "sleep 600 & echo $! > background.pid.part && mv background.pid.part background.pid;"
          + " echo $$ > build.pid.part && mv build.pid.part build.pid; wait");
    } else {
      Sandbox sandbox = Sandboxes.pick(BuilderSpec.SandboxTool.valueOf(args[1].toUpperCase(java.util.Locale.ROOT)), log);
      for (String name : List.of("src", "out", "cache")) {
        Files.createDirectories(dir.resolve(name));
      }
      env = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "HOME", "/root");
      command = sandbox.command(new SandboxSpec(Path.of(args[2]), dir.resolve("scratch"), dir.resolve("src"), dir.resolve("out"),
          dir.resolve("cache"), Optional.empty(), Optional.empty(), Optional.empty(), env, "/root", false,
          List.of("/bin/sh", "-c", "sleep 600 & sleep 600 & touch /out/started; wait")));
    }
    ProcessRunner.run(command, dir, env, Duration.ofMinutes(10), new Redactor(List.of()), log, "[build] ");
  }
}
