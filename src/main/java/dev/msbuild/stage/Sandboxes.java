package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds a sandbox that works on this machine: bubblewrap where it runs, else unshare. */
final class Sandboxes {
  private Sandboxes() {}

  static Sandbox pick(BuilderSpec.SandboxTool tool, BuildLog log) {
    List<String> problems = new ArrayList<>();
    if (tool != BuilderSpec.SandboxTool.UNSHARE) {
      Optional<Path> bwrap = onPath("bwrap");
      if (bwrap.isEmpty()) {
        problems.add("bubblewrap (bwrap) is not installed");
      } else if (works(List.of(bwrap.get().toString(), "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-pid", "true"), problems, "bwrap")) {
        return new Bubblewrap(bwrap.get());
      }
    }
    if (tool != BuilderSpec.SandboxTool.BWRAP) {
      Optional<Path> unshare = onPath("unshare");
      boolean root = dev.msbuild.rootfs.RootPaths.runningAsRoot();
      if (unshare.isEmpty()) {
        problems.add("util-linux unshare is not installed");
      } else {
        List<String> probe = new ArrayList<>(List.of(unshare.get().toString(), "--mount", "--pid", "--fork"));
        if (!root) {
          probe.addAll(List.of("--user", "--map-root-user"));
        }
        probe.add("true");
        if (works(probe, problems, "unshare")) {
          return new UnshareChroot(unshare.get(), root);
        }
      }
    }
    throw new MsbuildException(
        "No sandbox can run on this machine: " + String.join("; ", problems) + ".",
        tool == BuilderSpec.SandboxTool.AUTO ? Setting.BUILDER_ISOLATION : Setting.BUILDER_SANDBOX,
        "install bubblewrap (apt-get install bubblewrap, dnf install bubblewrap) or util-linux with user "
            + "namespaces enabled (sysctl kernel.unprivileged_userns_clone=1); or, for a plain Go build, set "
            + Setting.BUILDER_ISOLATION + " to direct (the image's go runs on this machine) or host.");
  }

  private static boolean works(List<String> probe, List<String> problems, String name) {
    try {
      Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes()).trim();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        problems.add(name + " did not answer");
        return false;
      }
      if (process.exitValue() == 0) {
        return true;
      }
      problems.add(name + " does not work here (" + (output.isEmpty() ? "exit " + process.exitValue() : output) + ")");
      return false;
    } catch (IOException e) {
      problems.add(name + " could not start (" + e.getMessage() + ")");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add(name + " probe interrupted");
      return false;
    }
  }

  static Optional<Path> onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }


}
