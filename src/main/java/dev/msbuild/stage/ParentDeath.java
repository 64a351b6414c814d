package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a build process die with this JVM, even when the JVM is killed with kill -9 and no
 * shutdown hook runs: the command runs under {@code setpriv --pdeathsig KILL --} (util-linux),
 * which asks the kernel to send it SIGKILL when its parent goes. bubblewrap adds its own
 * {@code --die-with-parent} inside; unshare's {@code --kill-child} takes its child with it.
 *
 * <p>The kernel's "parent" is the thread that started the process, not the JVM: the thread that
 * starts a build process must be the one that waits for it ({@link ProcessRunner#run} does both).
 * What the process starts itself (go's compile and link steps) is not covered: it finishes its
 * step and exits, writing only into go's own work directory.
 */
final class ParentDeath {
  /** What the probe found: setpriv's path, or why it cannot be used. */
  private record Probe(Optional<Path> setpriv, String problem) {}

  private static volatile Probe probe;

  private ParentDeath() {}

  /** {@code command} under setpriv, or as it is (the log says why) where setpriv cannot run. */
  static List<String> wrap(List<String> command, BuildLog log) {
    Probe found = probe();
    if (found.setpriv().isEmpty()) {
      log.warn(found.problem() + ", so a build process is not tied to this JVM: if the JVM is killed with kill -9, "
          + Path.of(command.get(0)).getFileName() + " keeps running (a normal stop or Ctrl-C still ends it)."
          + " Install util-linux 2.33 or later to close that gap.");
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(found.setpriv().get().toString(), "--pdeathsig", "KILL", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static Probe probe() {
    Probe known = probe;
    if (known == null) {
      Optional<Path> setpriv = Sandboxes.onPath("setpriv");
      known = setpriv.isEmpty() ? new Probe(Optional.empty(), "setpriv (util-linux) is not installed")
          : works(setpriv.get()) ? new Probe(setpriv, null)
          : new Probe(Optional.empty(), setpriv.get() + " cannot set a parent-death signal (--pdeathsig needs util-linux 2.33)");
      probe = known;
    }
    return known;
  }

  private static boolean works(Path setpriv) {
    try {
      Process test = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", "--", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      test.getOutputStream().close();
      if (!test.waitFor(10, TimeUnit.SECONDS)) {
        test.destroyForcibly();
        return false;
      }
      return test.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
