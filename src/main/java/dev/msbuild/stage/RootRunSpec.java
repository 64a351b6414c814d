package dev.msbuild.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Dockerfile RUN: a command in a stage's own root filesystem, which it may change (the
 * changes are what the instruction makes), with the mounts the instruction asks for.
 *
 * @param root the stage's private root, written in place
 * @param mounts bound over paths of the root for this command only (cache directories, secrets)
 * @param env the command's whole environment
 * @param workdir its working directory, absolute in the root
 * @param network whether it shares this machine's network (then /etc/resolv.conf and /etc/hosts are this machine's)
 * @param argv what runs, resolved with the environment's PATH
 */
record RootRunSpec(Path root, List<Mount> mounts, Map<String, String> env, String workdir, boolean network, List<String> argv) {
  RootRunSpec {
    mounts = List.copyOf(mounts);
    env = Map.copyOf(env);
    argv = List.copyOf(argv);
  }

  /** A directory or file of this machine at {@code target} in the root. */
  record Mount(Path source, String target, boolean writable) {}

  /** The paths of the root every command gets as mount points, beside its own mounts. */
  List<String> mountPoints() {
    List<String> points = new java.util.ArrayList<>(List.of("/proc", "/dev"));
    if (network) {
      points.addAll(NETWORK_FILES);
    }
    mounts.forEach(m -> points.add(m.target()));
    return points;
  }

  /** This machine's files a command with the network sees in place of the image's. */
  static final List<String> NETWORK_FILES = List.of("/etc/resolv.conf", "/etc/hosts");
}
