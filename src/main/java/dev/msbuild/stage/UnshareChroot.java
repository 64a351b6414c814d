package dev.msbuild.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * util-linux unshare: new mount and pid (and, when it is off, network) namespaces, plus a user
 * namespace when not run as root; inside, an overlay over the image root makes it writable for
 * this build only (apk add works), /src is bound read-only, /out and /cache writable, and the
 * build runs chrooted there.
 */
final class UnshareChroot implements Sandbox {
  /** Runs as root inside the new namespaces; its positional parameters are paths, never values. */
  private static final String SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "root=$1 scratch=$2 src=$3 out=$4 cache=$5 secrets=$6 network=$7 home=$8 unshare=$9 cafile=${10} cadir=${11}",
          "shift 11",
          "inner_path=$PATH",
          "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
          "m=$scratch/merged",
          "mkdir -p $scratch/upper $scratch/work $m",
          "mount -t overlay overlay -o lowerdir=$root,upperdir=$scratch/upper,workdir=$scratch/work $m",
          "mkdir -p $m/proc $m/dev $m/tmp $m/run $m/src $m/out $m/cache $m$home",
          "mount -t proc proc $m/proc",
          "mount -t tmpfs -o mode=755 tmpfs $m/dev",
          "for d in null zero full random urandom tty; do touch $m/dev/$d; mount --bind /dev/$d $m/dev/$d; done",
          "ln -s /proc/self/fd $m/dev/fd",
          "mount -t tmpfs tmpfs $m/tmp",
          "mount -t tmpfs tmpfs $m/run",
          "mount --bind $src $m/src",
          "mount -o remount,bind,ro $m/src",
          "mount --bind $out $m/out",
          "mount --bind $cache $m/cache",
          "if [ \"$secrets\" != - ]; then mkdir -p $m/run/secrets; mount --bind $secrets $m/run/secrets;"
              + " mount -o remount,bind,ro $m/run/secrets; fi",
          "if [ \"$cafile\" != - ]; then mkdir -p $m" + HostPassThrough.CA_ROOT + "; : > $m" + HostPassThrough.CA_FILE
              + "; mount --bind $cafile $m" + HostPassThrough.CA_FILE + "; mount -o remount,bind,ro $m" + HostPassThrough.CA_FILE
              + "; fi",
          "if [ \"$cadir\" != - ]; then mkdir -p $m" + HostPassThrough.CA_DIR + "; mount --bind $cadir $m" + HostPassThrough.CA_DIR
              + "; mount -o remount,bind,ro $m" + HostPassThrough.CA_DIR + "; fi",
          "if [ \"$network\" = on ]; then for f in /etc/resolv.conf /etc/hosts; do"
              + " [ -e $f ] && [ ! -e $m$f ] && mkdir -p $m/etc && cp $f $m$f; done; fi",
          "PATH=$inner_path exec $unshare --root=$m --wd=/src -- \"$@\"");

  /**
   * A RUN in the stage's own root: no overlay, the root is the stage's private copy. Positional
   * parameters: root, network, unshare, workdir, the number of mounts, then source, target and
   * rw/ro of each; then the command.
   */
  private static final String IN_ROOT_SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "root=$1 network=$2 unshare=$3 wd=$4 n=$5",
          "shift 5",
          "inner_path=$PATH",
          "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
          "mkdir -p \"$root/proc\" \"$root/dev\"",
          "mount -t proc proc \"$root/proc\"",
          "mount -t tmpfs -o mode=755 tmpfs \"$root/dev\"",
          "for d in null zero full random urandom tty; do : > \"$root/dev/$d\"; mount --bind /dev/$d \"$root/dev/$d\"; done",
          "ln -s /proc/self/fd \"$root/dev/fd\"",
          "if [ \"$network\" = on ]; then for f in " + String.join(" ", RootRunSpec.NETWORK_FILES) + "; do"
              + " if [ -e $f ]; then mkdir -p \"$root/etc\"; [ -e \"$root$f\" ] || : > \"$root$f\"; mount --bind $f \"$root$f\"; fi;"
              + " done; fi",
          "while [ \"$n\" -gt 0 ]; do",
          "  src=$1 target=$root$2 mode=$3; shift 3; n=$((n-1))",
          "  if [ -d \"$src\" ]; then mkdir -p \"$target\"; else mkdir -p \"$(dirname \"$target\")\"; [ -e \"$target\" ] || : > \"$target\"; fi",
          "  mount --bind \"$src\" \"$target\"",
          "  if [ \"$mode\" = ro ]; then mount -o remount,bind,ro \"$target\"; fi",
          "done",
          "PATH=$inner_path exec \"$unshare\" --root=\"$root\" --wd=\"$wd\" -- \"$@\"");

  private final Path unshare;
  private final boolean root;

  UnshareChroot(Path unshare, boolean root) {
    this.unshare = unshare;
    this.root = root;
  }

  @Override
  public String name() {
    return "unshare";
  }

  @Override
  public List<String> command(SandboxSpec spec) throws IOException {
    Files.createDirectories(spec.scratch());
    List<String> args = new ArrayList<>(List.of(unshare.toString(), "--mount", "--pid", "--fork", "--kill-child"));
    if (!root) {
      args.addAll(List.of("--user", "--map-root-user"));
    }
    if (!spec.network()) {
      args.add("--net");
    }
    args.addAll(List.of("/bin/sh", "-c", SCRIPT, "msbuild-sandbox"));
    args.addAll(List.of(
        spec.root().toString(), spec.scratch().toString(), spec.source().toString(), spec.out().toString(),
        spec.cache().toString(), spec.secrets().map(Path::toString).orElse("-"), spec.network() ? "on" : "off",
        spec.home(), unshare.toString(), spec.caFile().map(Path::toString).orElse("-"),
        spec.caDir().map(Path::toString).orElse("-")));
    args.addAll(spec.argv());
    return args;
  }

  @Override
  public List<String> commandInRoot(RootRunSpec spec) {
    List<String> args = new ArrayList<>(List.of(unshare.toString(), "--mount", "--pid", "--fork", "--kill-child"));
    if (!root) {
      args.addAll(List.of("--user", "--map-root-user"));
    }
    if (!spec.network()) {
      args.add("--net");
    }
    args.addAll(List.of("/bin/sh", "-c", IN_ROOT_SCRIPT, "msbuild-run", spec.root().toString(), spec.network() ? "on" : "off",
        unshare.toString(), spec.workdir(), Integer.toString(spec.mounts().size())));
    for (RootRunSpec.Mount m : spec.mounts()) {
      args.addAll(List.of(m.source().toString(), m.target(), m.writable() ? "rw" : "ro"));
    }
    args.addAll(spec.argv());
    return args;
  }
}
