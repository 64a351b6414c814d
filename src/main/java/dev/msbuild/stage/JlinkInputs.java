package dev.msbuild.stage;

import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.JavaSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a jlink runtime depends on, hashed: the builder image, the platform, the sandbox and jlink
 * settings, and (when jdeps picks the modules) every class file and dependency jar jdeps reads.
 * When the hash is that of the last build and its runtime is still in target/msbuild/out, jdeps
 * and jlink have nothing to do.
 */
final class JlinkInputs {
  static final String FILE = "jlink-inputs.txt";

  private JlinkInputs() {}

  static String key(BuildPlan plan, String imageDigest) throws IOException {
    MessageDigest digest = sha256();
    JavaSpec java = plan.java().orElseThrow();
    JavaSpec.Jlink jlink = java.jlink().orElseThrow();
    BuilderSpec spec = plan.builder();
    line(digest, "msbuild jlink inputs v1");
    line(digest, "image " + imageDigest);
    line(digest, "platform " + plan.platform());
    line(digest, "isolation " + spec.isolation() + " " + spec.sandbox() + " network " + spec.network());
    line(digest, "env " + new TreeMap<>(spec.env()));
    line(digest, "modules " + jlink.modules() + " add " + jlink.addModules() + " compress " + jlink.compress());
    if (jlink.modules().isEmpty()) {
      // jdeps reads the application: its classes (or jar) and every dependency, by name and content.
      line(digest, "mode " + java.mode());
      if (java.mode() == JavaSpec.Mode.PACKAGED) {
        line(digest, "jar " + hash(java.jar().orElseThrow()));
      } else {
        Path classes = java.classes();
        try (Stream<Path> walk = Files.walk(classes)) {
          for (Path file : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
            line(digest, "class " + classes.relativize(file) + " " + hash(file));
          }
        }
      }
      for (JavaSpec.Dependency dependency : java.dependencies()) {
        line(digest, "lib " + dependency.fileName() + " " + hash(dependency.file()));
      }
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  /** The last build's runtime, when it had these inputs and its bin/java is still there. */
  static Optional<JavaRuntime> unchanged(BuildPlan plan, String key) throws IOException {
    Path record = plan.outputDirectory().resolve(FILE);
    Path home = plan.outputDirectory().resolve("out/runtime");
    if (!Files.isRegularFile(record) || !Files.isRegularFile(home.resolve("bin/java"), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
    if (lines.size() != 7 || !lines.get(0).equals(key)) {
      return Optional.empty();
    }
    return Optional.of(new JavaRuntime(home, list(lines.get(1)), lines.get(2), lines.get(3),
        lines.get(4).isEmpty() ? Optional.empty() : Optional.of(lines.get(4)), list(lines.get(5)), list(lines.get(6))));
  }

  /** Records the runtime a finished jlink made; written last, so a failed build leaves no record. */
  static void record(BuildPlan plan, String key, JavaRuntime runtime) throws IOException {
    String text = String.join("\n", key, String.join(",", runtime.modules()), runtime.javaVersion(), runtime.builder(),
        runtime.interpreter().orElse(""), String.join(",", runtime.neededLibraries()), String.join(",", runtime.onDemandLibraries()))
        + "\n";
    AtomicFiles.writeString(plan.outputDirectory().resolve(FILE), text);
  }

  /** Forgets the last runtime, before jlink runs again. */
  static void forget(BuildPlan plan) throws IOException {
    Files.deleteIfExists(plan.outputDirectory().resolve(FILE));
  }

  private static List<String> list(String line) {
    return line.isEmpty() ? List.of() : List.of(line.split(","));
  }

  private static String hash(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void line(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
