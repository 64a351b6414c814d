package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.GoBuild;
import dev.msbuild.config.GoModule;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.rootfs.RootfsCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Go builder stage: {@code go build} of the main package for the target platform, with the
 * builder image's toolchain (or the host's), statically linked, reproducible ({@code -trimpath
 * -buildvcs=false}), with Go's build and module caches kept between builds.
 */
public final class GoArtifactBuilder implements ArtifactBuilder {
  /** Host variables that a compile may legitimately need (proxies, module settings). */
  private static final List<String> PASSED_THROUGH =
      List.of(
          "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
          "GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE",
          "SSL_CERT_FILE", "SSL_CERT_DIR", "TMPDIR");

  private final ImagePuller puller;
  private final RootfsCache roots;
  private final BuildLog log;

  public GoArtifactBuilder(ImagePuller puller, RootfsCache roots, BuildLog log) {
    this.puller = puller;
    this.roots = roots;
    this.log = log;
  }

  @Override
  public Artifact build(BuildPlan plan) {
    GoBuild go = plan.go();
    Path packageDir = plan.sourceDirectory().resolve(go.mainPackage()).normalize();
    if (!Files.isDirectory(packageDir)) {
      throw new MsbuildException(
          "The main package directory " + packageDir + " does not exist.",
          Setting.BUILDER_MAIN_PACKAGE,
          "set " + Setting.BUILDER_MAIN_PACKAGE + " to the directory of your main package, relative to the project (for example ./cmd/app).");
    }
    GoToolchain toolchain =
        go.toolchain() == GoBuild.Toolchain.HOST
            ? HostToolchain.find()
            : new BuilderImageToolchain(puller, roots, log).resolve(go);
    log.info("Builder stage: go build for " + plan.platform() + " with " + toolchain.description());

    Optional<Path> goMod = GoModule.find(packageDir);
    Path workDir;
    List<String> targets = new ArrayList<>();
    if (goMod.isPresent()) {
      workDir = plan.sourceDirectory();
      String pkg = go.mainPackage();
      targets.add(pkg.startsWith(".") || pkg.startsWith("/") ? pkg : "./" + pkg);
    } else {
      // No go.mod, as in a Dockerfile that does COPY main.go . then go build: the package's
      // files are built directly, which needs no module.
      workDir = packageDir;
      targets.addAll(goFiles(packageDir));
      String shownDir = plan.sourceDirectory().relativize(packageDir).toString();
      log.info("No go.mod: building the files of " + (shownDir.isEmpty() ? "." : shownDir) + " directly: " + targets);
    }

    Path output = plan.outputDirectory().resolve(go.outputName());
    try {
      Files.createDirectories(plan.outputDirectory());
      Path temp = plan.outputDirectory().resolve("." + go.outputName() + ".part");
      Files.deleteIfExists(temp);
      List<String> command = new ArrayList<>();
      command.add(toolchain.go().toString());
      command.addAll(List.of("build", "-trimpath", "-buildvcs=false"));
      if (!go.ldflags().isEmpty()) {
        command.add("-ldflags=" + go.ldflags());
      }
      command.addAll(go.flags());
      command.addAll(List.of("-o", temp.toString()));
      command.addAll(targets);
      Map<String, String> env = environment(plan, toolchain);
      String shown = "GOOS=" + env.get("GOOS") + " GOARCH=" + env.get("GOARCH") + " CGO_ENABLED=" + env.get("CGO_ENABLED")
          + " " + String.join(" ", command);
      log.info("$ " + shown);
      long start = System.nanoTime();
      ProcessRunner.Result result = ProcessRunner.run(command, workDir, env, log, "[go] ");
      if (result.exitCode() != 0) {
        Files.deleteIfExists(temp);
        throw new MsbuildException(
            "go build failed with exit code " + result.exitCode() + ".\n  Command: " + shown
                + "\n  In: " + workDir + "\n  Output:\n" + indent(result.output()),
            Setting.BUILDER_MAIN_PACKAGE,
            "fix the compile errors shown above in " + packageDir + ", or point "
                + Setting.BUILDER_MAIN_PACKAGE + " at the package to build.");
      }
      Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      log.info(String.format(
          "Built %s (%,d bytes) in %.1f s", plan.sourceDirectory().relativize(output), Files.size(output),
          (System.nanoTime() - start) / 1e9));
      return new Artifact(output, go.outputName(), plan.platform());
    } catch (IOException e) {
      throw new MsbuildException(
          "The builder stage could not run go: " + e.getMessage(),
          Setting.BUILDER_TOOLCHAIN,
          "check that the toolchain can run on this machine, or set " + Setting.BUILDER_TOOLCHAIN + " to host.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MsbuildException("The builder stage was interrupted.", null, "run the build again.");
    }
  }

  private Map<String, String> environment(BuildPlan plan, GoToolchain toolchain) {
    Map<String, String> host = System.getenv();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", toolchain.go().getParent() + ":" + host.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", System.getProperty("user.home"));
    for (String name : PASSED_THROUGH) {
      if (host.containsKey(name)) {
        env.put(name, host.get(name));
      }
    }
    env.putAll(toolchain.env());
    Path goCache = plan.cacheDirectory().resolve("go");
    env.put("GOCACHE", goCache.resolve("build").toString());
    env.put("GOMODCACHE", goCache.resolve("mod").toString());
    env.put("GOPATH", goCache.resolve("path").toString());
    // The builder image decides the Go version; never download another toolchain.
    env.put("GOTOOLCHAIN", "local");
    env.put("CGO_ENABLED", "0");
    Platform platform = plan.platform();
    env.put("GOOS", platform.os());
    env.put("GOARCH", platform.architecture());
    if (platform.architecture().equals("arm") && platform.variant() != null) {
      env.put("GOARM", platform.variant().replace("v", ""));
    }
    env.putAll(plan.go().env());
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

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }
}
