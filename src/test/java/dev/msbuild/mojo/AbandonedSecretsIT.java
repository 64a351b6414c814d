package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.pipeline.MultiStageBuild;
import dev.msbuild.publish.PublishResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A secret left by a killed build: a build that died before it could remove its secrets left them
 * in /dev/shm/msbuild-secrets-uid&lt;uid&gt;/&lt;pid&gt;-&lt;start&gt;-&lt;random&gt;. The next real build with a
 * secret (sandboxed, against the test bed's registry) removes them and says so, leaves those of a
 * build that still runs, and leaves none of its own. Apart from the catalogue, whose cases fail.
 */
class AbandonedSecretsIT {
  private static final String TOKEN = "tok-abandoned-5e1f";

  @Test
  void theNextBuildRemovesTheSecretsOfAKilledOne() throws Exception {
    String registry = System.getProperty("testbed.registry");
    assertTrue(registry != null && !registry.isBlank(), "testbed.registry is not set: run this through mvn verify");
    Path target = Path.of(System.getProperty("catalogue.directory", "target/catalogue")).toAbsolutePath();
    Path project = Files.createDirectories(target.resolve("abandoned-secrets"));

    Path parent = Path.of(Files.isWritable(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"))
        .resolve("msbuild-secrets-uid" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    Files.createDirectories(parent);
    // A build that ran and is gone: its pid no longer runs, or runs a newer process.
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    Path abandoned = Files.createDirectory(parent.resolve(gone.pid() + "-1-5ec7e75a"));
    Files.writeString(abandoned.resolve("token"), "left-by-a-killed-build");
    // pid 1 runs, since its own start time: a build that still runs.
    Path running = Files.createDirectory(parent.resolve("1-" + startTicks(1) + "-5ec7e75b"));

    try {
      BuilderParameters builder = new BuilderParameters();
      builder.image = "golang:1.26-alpine";
      builder.isolation = "sandbox";
      SecretParameter secret = new SecretParameter();
      secret.id = "token";
      secret.env = "MSBUILD_IT_ABANDONED_TOKEN";
      builder.secrets = List.of(secret);
      builder.command = "echo \"token=$(cat /run/secrets/token)\"; ls /run/secrets;"
          + " printf '#!/bin/sh\\necho ok\\n' > /out/report; chmod 755 /out/report";
      builder.outputs = List.of("/out/report");
      ToParameters to = new ToParameters();
      to.image = registry + "/catalogue/abandoned-secrets:1";
      // The report is a #! script: its base must have the /bin/sh it names.
      FromParameters from = new FromParameters();
      from.image = "alpine:3.20";
      PlanFactory.Inputs in = new PlanFactory.Inputs(builder, from, to, null, null, true, List.of("docker.io=" + registry),
          target.resolve("cache"), project, project.resolve("target/msbuild"), "abandoned-secrets", "1.0",
          name -> name.equals("MSBUILD_IT_ABANDONED_TOKEN") ? TOKEN : System.getenv(name), id -> Optional.empty());
      BuildPlan plan = PlanFactory.create(in, new UserProperties(new Properties(), new Properties()));
      List<String> logged = Collections.synchronizedList(new ArrayList<>());
      PublishResult result = new MultiStageBuild(plan, new BuildLog() {
        @Override public void info(String message) { logged.add(message); }
        @Override public void warn(String message) { logged.add(message); }
        @Override public void debug(String message) {}
      }).pushImage();

      String log = String.join("\n", logged);
      assertTrue(result.digest().matches("sha256:[0-9a-f]{64}"), result.digest());
      assertFalse(Files.exists(abandoned), "the secrets of a killed build are still in " + abandoned);
      assertTrue(log.contains("Removed build secrets left by a build that was killed (pid " + gone.pid() + " no longer runs): "
          + abandoned), log);
      assertTrue(log.indexOf("Removed build secrets left by") < log.indexOf("[build] token="), log);
      assertTrue(Files.isDirectory(running), "the secrets of a running build were removed");
      // The build saw its secret, printed masked, and took its own directory with it.
      assertTrue(log.contains("[build] token=****"), log);
      assertFalse(log.contains(TOKEN) || log.contains("left-by-a-killed-build"), log);
      try (Stream<Path> left = Files.list(parent)) {
        String mine = ProcessHandle.current().pid() + "-";
        assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(mine)).toList());
      }
    } finally {
      Files.deleteIfExists(running);
    }
  }

  /** Field 22 of /proc/<pid>/stat, after the command name. */
  private static String startTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
    return stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+")[19];
  }
}
