package dev.msbuild.stage;

import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
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
 * What a builder stage's result depends on, hashed: every file of the source tree (go.mod and
 * go.sum among them; the Maven build directory and .git left out), the toolchain (the builder
 * image's digest, or this machine's go), the platform and the builder settings. When the hash and
 * the artifacts are those of the last build, the builder stage has nothing to do.
 *
 * <p>Secret values are never hashed (a hash of a short secret would give it away), so a build with
 * secrets always runs.
 */
final class BuildInputs {
  static final String FILE = "builder-inputs.txt";

  /**
   * @param key the hash of the inputs
   * @param files how many source files went into it, for the log
   */
  record Key(String key, int files) {}

  private BuildInputs() {}

  static Key of(BuildPlan plan, String toolchain) throws IOException {
    MessageDigest digest = sha256();
    BuilderSpec spec = plan.builder();
    line(digest, "msbuild builder inputs v1");
    line(digest, "toolchain " + toolchain);
    line(digest, "platform " + plan.platform());
    line(digest, "isolation " + spec.isolation() + " " + spec.sandbox() + " network " + spec.network());
    line(digest, "command " + spec.command().orElse("") + " outputs " + spec.outputs());
    line(digest, "main " + spec.mainPackage() + " output " + spec.outputName() + " flags " + spec.flags() + " ldflags " + spec.effectiveLdflags());
    line(digest, "vcs " + spec.gitRevision().orElse(""));
    line(digest, "env " + new TreeMap<>(spec.env()));
    Path source = plan.sourceDirectory();
    // The Maven build directory (target/, holding target/msbuild) is left out, but never when it
    // is the source itself or holds it: an <outputDirectory> right under the project would
    // otherwise leave nothing to hash, and every edit would look like no change.
    Path parent = plan.outputDirectory().getParent();
    Optional<Path> buildDirectory = Optional.ofNullable(parent).filter(d -> !source.startsWith(d));
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(source)) {
      walk.filter(p -> !p.equals(source))
          .filter(p -> !p.startsWith(source.resolve(".git")) && !buildDirectory.map(p::startsWith).orElse(false))
          .filter(p -> !p.startsWith(plan.outputDirectory()))
          .sorted()
          .forEach(files::add);
    }
    for (Path file : files) {
      String name = source.relativize(file).toString();
      if (Files.isSymbolicLink(file)) {
        line(digest, "link " + name + " " + Files.readSymbolicLink(file));
      } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        line(digest, "dir " + name);
      } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        line(digest, "file " + name + " " + Files.isExecutable(file) + " " + Files.size(file) + " " + hash(file));
      }
    }
    return new Key("sha256:" + HexFormat.of().formatHex(digest.digest()), files.size());
  }

  /** The artifacts of the last build, when it had these inputs and they are still as it left them. */
  static Optional<List<Artifact>> unchanged(BuildPlan plan, Key key) throws IOException {
    Path record = plan.outputDirectory().resolve(FILE);
    if (!Files.isRegularFile(record)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(key.key())) {
      return Optional.empty();
    }
    List<Artifact> artifacts = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(" ", 2);
      if (parts.length != 2) {
        return Optional.empty();
      }
      Path file = plan.outputDirectory().resolve(parts[1]).normalize();
      if (!file.startsWith(plan.outputDirectory()) || !Files.isRegularFile(file) || !hash(file).equals(parts[0])) {
        return Optional.empty();
      }
      artifacts.add(new Artifact(file, parts[1], plan.platform()));
    }
    return artifacts.isEmpty() ? Optional.empty() : Optional.of(artifacts);
  }

  /** Records what a finished build used and made; written last, so a failed build leaves no record. */
  static void record(BuildPlan plan, Key key, List<Artifact> artifacts) throws IOException {
    StringBuilder text = new StringBuilder(key.key()).append('\n');
    for (Artifact artifact : artifacts) {
      text.append(hash(artifact.file())).append(' ').append(artifact.name()).append('\n');
    }
    AtomicFiles.writeString(plan.outputDirectory().resolve(FILE), text.toString());
  }

  /** Forgets the last build, before one starts: a failure must not leave an old record behind. */
  static void forget(BuildPlan plan) throws IOException {
    Files.deleteIfExists(plan.outputDirectory().resolve(FILE));
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
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
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
