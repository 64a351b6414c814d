package dev.msbuild.stage;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.GoModule;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code go build} of the main package: its arguments and its Go environment, the same in
 * every isolation; only the paths differ (this machine's, or the sandbox's /src, /out, /cache).
 */
final class GoBuildCommand {
  /** What {@code go build} gets, relative to the source root, where it always runs. */
  private final List<String> targets;
  private final String packageDir;

  private GoBuildCommand(List<String> targets, String packageDir) {
    this.targets = targets;
    this.packageDir = packageDir;
  }

  static GoBuildCommand plan(BuildPlan plan, dev.msbuild.config.BuildLog log) {
    BuilderSpec spec = plan.builder();
    Path source = plan.sourceDirectory();
    Path packageDir = source.resolve(spec.mainPackage()).normalize();
    if (!Files.isDirectory(packageDir)) {
      throw new MsbuildException(
          "The main package directory " + packageDir + " does not exist.",
          Setting.BUILDER_MAIN_PACKAGE,
          "set " + Setting.BUILDER_MAIN_PACKAGE + " to the directory of your main package, relative to the project (for example ./cmd/app).");
    }
    String relativePackage = source.relativize(packageDir).toString();
    Optional<Path> goMod = GoModule.find(packageDir);
    if (goMod.isPresent()) {
      String pkg = spec.mainPackage();
      return new GoBuildCommand(List.of(pkg.startsWith(".") || pkg.startsWith("/") ? pkg : "./" + pkg), relativePackage);
    }
    // No go.mod, as in a Dockerfile that does COPY main.go . then go build: the package's files
    // are built directly, which needs no module.
    List<String> files = goFiles(packageDir);
    log.info("No go.mod: building the files of " + (relativePackage.isEmpty() ? "." : relativePackage) + " directly: " + files);
    String prefix = relativePackage.isEmpty() ? "" : relativePackage + "/";
    return new GoBuildCommand(files.stream().map(f -> prefix + f).toList(), relativePackage);
  }

  String packageDir() {
    return packageDir;
  }

  /**
   * @param vcs whether go may stamp the git revision ({@code -buildvcs=auto}): the project is a git
   *     checkout and git is there for go to ask; else {@code -buildvcs=false}. A {@code -buildvcs}
   *     in {@code <flags>} wins.
   */
  List<String> argv(String go, BuilderSpec spec, String output, boolean vcs) {
    List<String> command = new ArrayList<>();
    command.add(go);
    command.addAll(List.of("build", "-trimpath"));
    if (spec.flags().stream().noneMatch(f -> f.startsWith("-buildvcs") || f.startsWith("--buildvcs"))) {
      command.add(vcs ? "-buildvcs=auto" : "-buildvcs=false");
    }
    String ldflags = spec.effectiveLdflags();
    if (!ldflags.isEmpty()) {
      command.add("-ldflags=" + ldflags);
    }
    command.addAll(spec.flags());
    command.addAll(List.of("-o", output));
    command.addAll(targets);
    return command;
  }

  /**
   * Whether go can stamp the revision when it runs on this machine: the project is in a git
   * checkout and git is on {@code path}.
   */
  static boolean vcsOnThisMachine(BuilderSpec spec, String path) {
    if (spec.gitRevision().isEmpty()) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "git"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What git needs to answer go's questions about a checkout another user owns (a CI runner's
   * workspace, a mounted volume): without it git refuses ("dubious ownership") and go fails.
   */
  static Map<String, String> gitEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GIT_CONFIG_COUNT", "1");
    env.put("GIT_CONFIG_KEY_0", "safe.directory");
    env.put("GIT_CONFIG_VALUE_0", "*");
    return env;
  }

  /** Go's own variables for the target platform, with the build and module caches given. */
  static Map<String, String> goEnv(Platform platform, String buildCache, String moduleCache) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GOCACHE", buildCache);
    env.put("GOMODCACHE", moduleCache);
    // The builder image decides the Go version; never download another toolchain.
    env.put("GOTOOLCHAIN", "local");
    env.put("CGO_ENABLED", "0");
    env.put("GOOS", platform.os());
    env.put("GOARCH", platform.architecture());
    if (platform.architecture().equals("arm") && platform.variant() != null) {
      env.put("GOARM", platform.variant().replace("v", ""));
    }
    return env;
  }

  private static List<String> goFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".go") && !n.endsWith("_test.go"))
              .sorted()
              .toList();
      if (names.isEmpty()) {
        throw new MsbuildException(
            "The main package directory " + dir + " has no .go files.",
            Setting.BUILDER_MAIN_PACKAGE,
            "set " + Setting.BUILDER_MAIN_PACKAGE + " to the directory of your main package.");
      }
      return names;
    } catch (IOException e) {
      throw new MsbuildException("Could not list " + dir + ": " + e.getMessage(), Setting.BUILDER_MAIN_PACKAGE, "check the directory.", e);
    }
  }
}
