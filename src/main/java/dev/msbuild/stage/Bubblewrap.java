package dev.msbuild.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * bubblewrap: the image's top-level directories bound read-only onto a fresh root, so the build
 * sees the image's userland but cannot change the cached copy; /tmp, HOME and /run are fresh
 * tmpfs, /src read-only, /out and /cache writable, /proc and /dev new; pid, ipc and uts (and the
 * network, when it is off) are unshared, and the build dies with the plugin.
 */
final class Bubblewrap implements Sandbox {
  /** Top-level paths the sandbox provides itself instead of the image's. */
  private static final Set<String> PROVIDED = Set.of("proc", "dev", "tmp", "run", "etc", "src", "out", "cache");

  private final Path bwrap;

  Bubblewrap(Path bwrap) {
    this.bwrap = bwrap;
  }

  @Override
  public String name() {
    return "bubblewrap";
  }

  @Override
  public List<String> command(SandboxSpec spec) throws IOException {
    List<String> args = isolated(spec.network());
    bindChildren(args, spec.root(), "");
    // /etc is rebuilt the same way so that the network files of this machine can be added.
    args.addAll(List.of("--dir", "/etc"));
    bindChildren(args, spec.root().resolve("etc"), "/etc");
    if (spec.network()) {
      for (String file : List.of("/etc/resolv.conf", "/etc/hosts")) {
        if (Files.exists(Path.of(file)) && !Files.exists(spec.root().resolve(file.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
          args.addAll(List.of("--ro-bind", file, file));
        }
      }
    }
    args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run"));
    args.addAll(List.of("--tmpfs", spec.home()));
    args.addAll(List.of("--ro-bind", spec.source().toString(), SandboxSpec.SOURCE));
    args.addAll(List.of("--bind", spec.out().toString(), SandboxSpec.OUT));
    args.addAll(List.of("--bind", spec.cache().toString(), SandboxSpec.CACHE));
    spec.secrets().ifPresent(s -> args.addAll(List.of("--ro-bind", s.toString(), SandboxSpec.SECRETS)));
    spec.caFile().ifPresent(f -> args.addAll(List.of("--ro-bind", f.toString(), HostPassThrough.CA_FILE)));
    spec.caDir().ifPresent(d -> args.addAll(List.of("--ro-bind", d.toString(), HostPassThrough.CA_DIR)));
    args.addAll(List.of("--chdir", SandboxSpec.SOURCE, "--"));
    args.addAll(spec.argv());
    return args;
  }

  @Override
  public List<String> commandInRoot(RootRunSpec spec) throws IOException {
    List<String> args = isolated(spec.network());
    if (!dev.msbuild.rootfs.RootPaths.runningAsRoot()) {
      // Root in its own user namespace, as a Dockerfile's RUN is: files it makes are this user's outside.
      args.addAll(List.of("--unshare-user", "--uid", "0", "--gid", "0"));
    }
    args.addAll(List.of("--bind", spec.root().toString(), "/", "--proc", "/proc", "--dev", "/dev"));
    if (spec.network()) {
      for (String file : RootRunSpec.NETWORK_FILES) {
        if (Files.exists(Path.of(file))) {
          args.addAll(List.of("--ro-bind", file, file));
        }
      }
    }
    for (RootRunSpec.Mount m : spec.mounts()) {
      args.addAll(List.of(m.writable() ? "--bind" : "--ro-bind", m.source().toString(), m.target()));
    }
    args.addAll(List.of("--chdir", spec.workdir(), "--"));
    args.addAll(spec.argv());
    return args;
  }

  /** bwrap with its own pid, ipc and uts namespaces (and network, when it is off), dying with the plugin. */
  private List<String> isolated(boolean network) {
    List<String> args = new ArrayList<>(List.of(bwrap.toString(), "--die-with-parent", "--new-session",
        "--unshare-pid", "--unshare-ipc", "--unshare-uts"));
    if (!network) {
      args.add("--unshare-net");
    }
    return args;
  }

  /** Binds each entry of {@code dir} at {@code prefix}/name; symlinks are recreated, not followed. */
  private static void bindChildren(List<String> args, Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        String name = child.getFileName().toString();
        if (prefix.isEmpty() && PROVIDED.contains(name)) {
          continue;
        }
        String target = prefix + "/" + name;
        if (Files.isSymbolicLink(child)) {
          args.addAll(List.of("--symlink", Files.readSymbolicLink(child).toString(), target));
        } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
          args.addAll(List.of("--ro-bind", child.toString(), target));
        }
      }
    }
  }
}
