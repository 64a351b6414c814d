package dev.msbuild.stage;

import java.io.IOException;
import java.util.List;

/** A way to run a build inside a builder image's root filesystem. */
interface Sandbox {
  /** For the log: "bubblewrap", "unshare". */
  String name();

  /**
   * The command line that runs {@code spec} on this machine. The process must be started with
   * {@code spec.env()} as its whole environment: values (secrets among them) never go on a
   * command line, where other users of the machine could read them.
   */
  List<String> command(SandboxSpec spec) throws IOException;

  /**
   * The command line that runs a Dockerfile RUN in the stage's own root, changed in place: /proc
   * and /dev are new, the instruction's mounts bound over their paths, and nothing else of this
   * machine is seen. Mount points the root lacks are made in it; the caller removes them after.
   */
  List<String> commandInRoot(RootRunSpec spec) throws IOException;
}
