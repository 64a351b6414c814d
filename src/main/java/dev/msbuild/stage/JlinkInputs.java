package dev.msbuild.stage;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.JavaSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a jlink runtime depends on, hashed: the builder image, the platform, the sandbox and jlink
 * settings, and (when jdeps picks the modules) every class file and dependency jar jdeps reads.
 * The runtime is kept in the stage cache under that hash: when an entry is there, from this
 * project's last build or any other with the same inputs, jdeps and jlink have nothing to do.
 */
final class JlinkInputs {
  private JlinkInputs() {}

  static String key(BuildPlan plan, String imageDigest) throws IOException {
    MessageDigest digest = InputHash.sha256();
    JavaSpec java = plan.java().orElseThrow();
    JavaSpec.Jlink jlink = java.jlink().orElseThrow();
    BuilderSpec spec = plan.builder();
    InputHash.line(digest, "msbuild jlink inputs v1");
    InputHash.line(digest, "image " + imageDigest);
    InputHash.line(digest, "platform " + plan.platform());
    InputHash.line(digest, "isolation " + spec.isolation() + " " + spec.sandbox() + " network " + spec.network());
    InputHash.line(digest, "env " + new TreeMap<>(spec.env()));
    InputHash.line(digest, "modules " + jlink.modules() + " add " + jlink.addModules() + " compress " + jlink.compress());
    if (jlink.modules().isEmpty()) {
      // jdeps reads the application: its classes (or jar) and every dependency, by name and content.
      InputHash.line(digest, "mode " + java.mode());
      if (java.mode() == JavaSpec.Mode.PACKAGED) {
        InputHash.line(digest, "jar " + InputHash.fileHex(java.jar().orElseThrow()));
      } else {
        Path classes = java.classes();
        try (Stream<Path> walk = Files.walk(classes)) {
          for (Path file : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
            InputHash.line(digest, "class " + classes.relativize(file) + " " + InputHash.fileHex(file));
          }
        }
      }
      for (JavaSpec.Dependency dependency : java.dependencies()) {
        InputHash.line(digest, "lib " + dependency.fileName() + " " + InputHash.fileHex(dependency.file()));
      }
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  /** The file of a stage-cache entry that describes its runtime (the runtime is beside it). */
  static final String DESCRIPTION = "jlink.txt";

  /** The stage-cache key of a jlink runtime with these inputs. */
  static String stageKey(String key) {
    return "jlink-" + key.substring(key.indexOf(':') + 1);
  }

  /** The runtime a stage-cache entry holds, at {@code entry/runtime}, when it is whole. */
  static Optional<JavaRuntime> read(Path entry) throws IOException {
    Path description = entry.resolve(DESCRIPTION);
    Path home = entry.resolve("runtime");
    if (!Files.isRegularFile(description) || !Files.isRegularFile(home.resolve("bin/java"), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(description, StandardCharsets.UTF_8);
    if (lines.size() != 6) {
      return Optional.empty();
    }
    return Optional.of(new JavaRuntime(home, list(lines.get(0)), lines.get(1), lines.get(2),
        lines.get(3).isEmpty() ? Optional.empty() : Optional.of(lines.get(3)), list(lines.get(4)), list(lines.get(5))));
  }

  /** Fills a new stage-cache entry with {@code runtime}: its files at {@code entry/runtime}, and its description. */
  static void write(Path entry, JavaRuntime runtime) throws IOException {
    TreeCopy.copy(runtime.home(), entry.resolve("runtime"));
    String text = String.join("\n", String.join(",", runtime.modules()), runtime.javaVersion(), runtime.builder(),
        runtime.interpreter().orElse(""), String.join(",", runtime.neededLibraries()), String.join(",", runtime.onDemandLibraries()))
        + "\n";
    Files.writeString(entry.resolve(DESCRIPTION), text, StandardCharsets.UTF_8);
  }

  private static List<String> list(String line) {
    return line.isEmpty() ? List.of() : List.of(line.split(","));
  }
}
