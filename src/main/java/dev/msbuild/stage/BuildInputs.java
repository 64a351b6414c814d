package dev.msbuild.stage;

import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a builder stage's result depends on, hashed: every file of the source tree (go.mod and
 * go.sum among them; .git, the output directory, the Maven build directory and every module's
 * target/ left out, never even listed), the toolchain (the builder
 * image's digest, or this machine's go), the platform and the builder settings. When the hash and
 * the artifacts are those of the last build, the builder stage has nothing to do.
 *
 * <p>The record names each input by a hash of its own, so that when a build runs, the log can say
 * which input changed. For the Go build (no {@code <command>}), the project's {@code pom.xml} is
 * not an input unless a {@code .go} file names it (an embed): Go does not read it, and what in it
 * does matter to the build (flags, ldflags, env, ...) is hashed as settings.
 *
 * <p>Secret values are never hashed (a hash of a short secret would give it away), so a build with
 * secrets always runs.
 */
final class BuildInputs {
  static final String FILE = "builder-inputs.txt";
  private static final String INPUT = "input ";
  private static final String FILE_PART = "file ";

  /**
   * @param key the hash of the inputs
   * @param files how many source files went into it, for the log
   * @param parts each input's own hash, by name ({@code toolchain}, a setting, {@code file <path>})
   */
  record Key(String key, int files, Map<String, String> parts) {}

  private BuildInputs() {}

  /**
   * Everything but the toolchain, hashed: the source tree, the platform and the builder settings.
   * Hashed once per build, whatever toolchain it is then combined with ({@link #of(Sources, String)}).
   */
  record Sources(String hash, int files, Map<String, String> parts) {}

  static Key of(BuildPlan plan, String toolchain) throws IOException {
    return of(sources(plan), toolchain);
  }

  /** The key of {@code sources} built with {@code toolchain} (the builder image's digest, or this machine's go). */
  static Key of(Sources sources, String toolchain) {
    MessageDigest digest = InputHash.sha256();
    Map<String, String> parts = new LinkedHashMap<>();
    InputHash.line(digest, "msbuild builder inputs v3");
    part(digest, parts, "the toolchain", "toolchain " + toolchain);
    InputHash.line(digest, sources.hash());
    parts.putAll(sources.parts());
    return new Key("sha256:" + HexFormat.of().formatHex(digest.digest()), sources.files(), parts);
  }

  static Sources sources(BuildPlan plan) throws IOException {
    MessageDigest digest = InputHash.sha256();
    Map<String, String> parts = new LinkedHashMap<>();
    BuilderSpec spec = plan.builder();
    InputHash.line(digest, "msbuild builder sources v1");
    part(digest, parts, "platform", "platform " + plan.platform());
    part(digest, parts, Setting.BUILDER_ISOLATION.xml(), "isolation " + spec.isolation() + " " + spec.sandbox() + " network " + spec.network());
    part(digest, parts, Setting.BUILDER_COMMAND.xml(), "command " + spec.command().orElse("") + " outputs " + spec.outputs());
    part(digest, parts, Setting.BUILDER_MAIN_PACKAGE.xml(), "main " + spec.mainPackage());
    part(digest, parts, Setting.BUILDER_OUTPUT.xml(), "output " + spec.outputName());
    part(digest, parts, Setting.BUILDER_FLAGS.xml(), "flags " + spec.flags());
    part(digest, parts, Setting.BUILDER_LDFLAGS.xml(), "ldflags " + spec.effectiveLdflags());
    part(digest, parts, Setting.BUILDER_ENV.xml(), "env " + new TreeMap<>(spec.env()));
    part(digest, parts, "the git commit", "vcs " + spec.gitRevision().orElse(""));
    Path source = plan.sourceDirectory();
    // The Maven build directory (target/, holding target/msbuild) is left out, but never when it
    // is the source itself or holds it: an <outputDirectory> right under the project would
    // otherwise leave nothing to hash, and every edit would look like no change.
    Path parent = plan.outputDirectory().getParent();
    Optional<Path> buildDirectory = Optional.ofNullable(parent).filter(d -> !source.startsWith(d));
    List<Path> files = sourceFiles(source, plan.outputDirectory(), buildDirectory);
    Path pom = source.resolve("pom.xml");
    if (spec.command().isEmpty() && files.contains(pom) && !goFilesName(files, "pom.xml")) {
      files.remove(pom);
    }
    for (Path file : files) {
      String name = source.relativize(file).toString();
      if (Files.isSymbolicLink(file)) {
        part(digest, parts, FILE_PART + name, "link " + name + " " + Files.readSymbolicLink(file));
      } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        part(digest, parts, FILE_PART + name + "/", "dir " + name);
      } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        try {
          part(digest, parts, FILE_PART + name,
              "file " + name + " " + Files.isExecutable(file) + " " + Files.size(file) + " " + hash(file));
        } catch (java.nio.file.AccessDeniedException e) {
          throw unreadable(file, e, source);
        }
      }
    }
    return new Sources("sha256:" + HexFormat.of().formatHex(digest.digest()), files.size(), parts);
  }

  /** Whether a .go file among {@code files} mentions {@code name} (a //go:embed of it, say). */
  private static boolean goFilesName(List<Path> files, String name) throws IOException {
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(".go") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          && Files.readString(file, StandardCharsets.ISO_8859_1).contains(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every path under {@code source}, sorted, without entering .git, the output directory or the
   * build directory (the walk never even lists them: a build's leftovers there, such as an overlay
   * work directory of mode 000, cannot make a later build fail). Links are not followed. A
   * directory of the source that cannot be read fails with its path and what to do.
   */
  private static List<Path> sourceFiles(Path source, Path outputDirectory, Optional<Path> buildDirectory) throws IOException {
    Path git = source.resolve(".git");
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (dir.equals(source)) {
          return FileVisitResult.CONTINUE;
        }
        if (dir.equals(git) || dir.startsWith(outputDirectory) || buildDirectory.map(dir::startsWith).orElse(false)
            || mavenBuildDirectory(dir)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        files.add(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        files.add(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        throw unreadable(file, e, source);
      }
    });
    files.sort(null);
    return files;
  }

  /**
   * {@code target} beside a {@code pom.xml}: Maven's build directory of that project or module
   * (what {@code mvn clean} deletes), never a source, e.g. a module's target/ under a Go project
   * that aggregates modules.
   */
  private static boolean mavenBuildDirectory(Path dir) {
    return dir.getFileName().toString().equals("target") && Files.isRegularFile(dir.resolveSibling("pom.xml"));
  }

  private static MsbuildException unreadable(Path file, IOException e, Path source) {
    return new MsbuildException(
        "Cannot read " + file + " in the project's source (" + e.getClass().getSimpleName() + ": " + e.getMessage()
            + "); every file there is an input of the builder stage.",
        Setting.SOURCE_DIRECTORY,
        "make it readable by this user, move it out of " + source + ", or point " + Setting.SOURCE_DIRECTORY
            + " at the directory that holds only the sources.",
        e);
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
      if (line.startsWith(INPUT)) {
        continue;
      }
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

  /**
   * Why the last build's artifacts cannot be reused, for the log: which inputs changed, or that
   * there is no record, or that the artifacts are no longer as it left them.
   */
  static String whatChanged(BuildPlan plan, Key key) throws IOException {
    Path record = plan.outputDirectory().resolve(FILE);
    if (!Files.isRegularFile(record)) {
      return "no earlier build is recorded in " + plan.outputDirectory();
    }
    List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
    if (!lines.isEmpty() && lines.get(0).equals(key.key())) {
      return "its inputs are those of the last build, but the artifacts in " + plan.outputDirectory()
          + " are no longer as it left them";
    }
    Map<String, String> before = new LinkedHashMap<>();
    for (String line : lines) {
      int tab = line.lastIndexOf('\t');
      if (line.startsWith(INPUT) && tab > INPUT.length()) {
        before.put(line.substring(INPUT.length(), tab), line.substring(tab + 1));
      }
    }
    if (before.isEmpty()) {
      return "the last build's record does not list its inputs (an older version of this plugin wrote it)";
    }
    List<String> settings = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, String> e : key.parts().entrySet()) {
      String old = before.get(e.getKey());
      boolean file = e.getKey().startsWith(FILE_PART);
      String name = file ? e.getKey().substring(FILE_PART.length()) : e.getKey();
      if (old == null) {
        (file ? added : settings).add(name);
      } else if (!old.equals(e.getValue())) {
        (file ? changed : settings).add(name);
      }
    }
    for (String name : before.keySet()) {
      if (!key.parts().containsKey(name)) {
        if (name.startsWith(FILE_PART)) {
          removed.add(name.substring(FILE_PART.length()));
        } else {
          settings.add(name);
        }
      }
    }
    List<String> what = new ArrayList<>();
    if (!settings.isEmpty()) {
      what.add(String.join(", ", settings) + " changed");
    }
    if (!changed.isEmpty()) {
      what.add(few(changed) + " changed");
    }
    if (!added.isEmpty()) {
      what.add(few(added) + " added");
    }
    if (!removed.isEmpty()) {
      what.add(few(removed) + " removed");
    }
    return what.isEmpty() ? "its inputs hash differently from the last build's" : String.join("; ", what);
  }

  private static String few(List<String> names) {
    return names.size() <= 3 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }

  /** Records what a finished build used and made; written last, so a failed build leaves no record. */
  static void record(BuildPlan plan, Key key, List<Artifact> artifacts) throws IOException {
    StringBuilder text = new StringBuilder(key.key()).append('\n');
    for (Artifact artifact : artifacts) {
      text.append(hash(artifact.file())).append(' ').append(artifact.name()).append('\n');
    }
    for (Map.Entry<String, String> e : key.parts().entrySet()) {
      // Names of inputs and hashes of their values only: no setting's value (an <env> may hold a token).
      text.append(INPUT).append(e.getKey().replace('\n', ' ').replace('\t', ' ')).append('\t').append(e.getValue()).append('\n');
    }
    AtomicFiles.writeString(plan.outputDirectory().resolve(FILE), text.toString());
  }

  /** Forgets the last build, before one starts: a failure must not leave an old record behind. */
  static void forget(BuildPlan plan) throws IOException {
    Files.deleteIfExists(plan.outputDirectory().resolve(FILE));
  }

  private static String hash(Path file) throws IOException {
    return "sha256:" + InputHash.fileHex(file);
  }

  /** One input: into the key, and by its own hash into {@code parts}. */
  private static void part(MessageDigest digest, Map<String, String> parts, String name, String text) {
    InputHash.line(digest, text);
    MessageDigest own = InputHash.sha256();
    own.update(text.getBytes(StandardCharsets.UTF_8));
    parts.put(name, HexFormat.of().formatHex(own.digest()).substring(0, 16));
  }
}
