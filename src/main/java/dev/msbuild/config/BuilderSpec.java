package dev.msbuild.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The builder stage: the image it runs from, how it is isolated, and what it runs (a Go build by
 * default, or any command, the equivalent of {@code RUN} in a builder stage).
 *
 * @param image the builder image
 * @param isolation where the build runs
 * @param sandbox which sandbox tool, when it runs in a sandbox
 * @param command a shell line run in /src instead of the Go build
 * @param outputs paths in the builder filesystem that become the artifacts (for a command)
 * @param mainPackage the Go main package, relative to the source directory
 * @param outputName the Go artifact's file name, also its name in the image ({@code /app/<name>})
 * @param flags extra {@code go build} flags
 * @param ldflags the linker flags added to {@code -s -w} (templates expanded)
 * @param env extra environment for the build
 * @param network whether the build may use the network (sandbox only)
 * @param timeout how long the build may run
 * @param secrets values exposed to the build and to nothing else
 * @param limits bounds on unpacking the builder image
 * @param strip whether {@code -s -w} (no symbol table, no DWARF) come before {@code ldflags}
 * @param gitRevision the commit of the git checkout the project is in: go stamps it
 *     ({@code -buildvcs}) where git is available to the build
 * @param imageOrigin where a default builder image came from, for the log and errors
 *     ({@code from go.mod line 3: go 1.22.4}); empty when {@code <image>} was given
 */
public record BuilderSpec(
    ImageName image,
    Isolation isolation,
    SandboxTool sandbox,
    Optional<String> command,
    List<String> outputs,
    String mainPackage,
    String outputName,
    List<String> flags,
    String ldflags,
    Map<String, String> env,
    boolean network,
    Duration timeout,
    List<Secret> secrets,
    UnpackLimits limits,
    boolean strip,
    Optional<String> gitRevision,
    Optional<String> imageOrigin) {

  /** The linker flags Go gets unless {@code <strip>} is false. */
  public static final String STRIP_FLAGS = "-s -w";

  /** Stripped, not in a git checkout (tests). */
  public BuilderSpec(ImageName image, Isolation isolation, SandboxTool sandbox, Optional<String> command, List<String> outputs,
      String mainPackage, String outputName, List<String> flags, String ldflags, Map<String, String> env, boolean network,
      Duration timeout, List<Secret> secrets, UnpackLimits limits) {
    this(image, isolation, sandbox, command, outputs, mainPackage, outputName, flags, ldflags, env, network, timeout, secrets,
        limits, true, Optional.empty(), Optional.empty());
  }

  /** What {@code -ldflags} gets: {@code -s -w} unless stripping is off, then {@code <ldflags>}. */
  public String effectiveLdflags() {
    String extra = ldflags == null ? "" : ldflags.trim();
    if (!strip) {
      return extra;
    }
    // Flags from before <ldflags> added to the defaults may repeat them: once is enough.
    List<String> words = List.of(extra.split("\\s+"));
    StringBuilder flags = new StringBuilder();
    for (String flag : STRIP_FLAGS.split(" ")) {
      if (!words.contains(flag)) {
        flags.append(flags.length() == 0 ? "" : " ").append(flag);
      }
    }
    return extra.isEmpty() ? flags.toString() : flags.length() == 0 ? extra : flags + " " + extra;
  }

  public BuilderSpec {
    outputs = List.copyOf(outputs);
    flags = List.copyOf(flags);
    env = Map.copyOf(env);
    secrets = List.copyOf(secrets);
  }

  /**
   * Whether {@code <env>} turns cgo on: CGO_ENABLED set to anything but 0 (go reads 1 as on, and
   * anything else as "on where a C compiler is found"). The Go build has CGO_ENABLED=0 otherwise.
   */
  public boolean cgoEnabled() {
    String value = env.get("CGO_ENABLED");
    return value != null && !value.trim().equals("0");
  }

  /** Where the build runs. */
  public enum Isolation {
    /** Direct for a plain Go build on a matching Linux host, else sandbox; the log says why. */
    AUTO,
    /** The builder image's statically linked toolchain, run on this machine. */
    DIRECT,
    /** Inside the builder image's root filesystem, in a sandbox. */
    SANDBOX,
    /** This machine's own toolchain; no builder image is pulled. */
    HOST
  }

  /** The tool that makes the sandbox. */
  public enum SandboxTool {
    /** bubblewrap where it works, else unshare. */
    AUTO,
    BWRAP,
    UNSHARE
  }

  /** A build secret; its value is never printed. */
  public record Secret(String id, String value) {
    @Override
    public String toString() {
      return "Secret[" + id + "]";
    }
  }

  /**
   * Bounds on a builder image's layers, so a hostile or broken image cannot fill the disk.
   *
   * @param maxEntries the most tar entries over all layers
   * @param maxBytes the most bytes of file content over all layers
   */
  public record UnpackLimits(long maxEntries, long maxBytes) {
    public static final UnpackLimits DEFAULT = new UnpackLimits(1_000_000, 16L << 30);
  }
}
