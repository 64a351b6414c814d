package dev.msbuild.stage;

import dev.msbuild.cache.StageCache;
import dev.msbuild.config.BuildPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A builder stage's results in the stage cache, under the hash of its inputs ({@link BuildInputs}):
 * the artifacts, and for a sandboxed build what it wrote to /out. A build whose inputs hash to an
 * entry there (the same sources in another checkout, or after {@code mvn clean}) takes the results
 * from it instead of building.
 */
final class BuilderResults {
  private static final String LIST = "artifacts.txt";

  private BuilderResults() {}

  static String stageKey(BuildInputs.Key key) {
    return "build-" + key.key().substring(key.key().indexOf(':') + 1);
  }

  /** Keeps a finished build's artifacts (and its /out, when it has one) under its key. */
  static void store(StageCache cache, BuildInputs.Key key, List<Artifact> artifacts, Optional<Path> out) throws IOException {
    cache.put(stageKey(key), dir -> {
      Files.createDirectories(dir.resolve("artifacts"));
      for (Artifact artifact : artifacts) {
        Files.copy(artifact.file(), dir.resolve("artifacts").resolve(artifact.name()), StandardCopyOption.COPY_ATTRIBUTES);
      }
      if (out.isPresent() && Files.isDirectory(out.get(), LinkOption.NOFOLLOW_LINKS)) {
        TreeCopy.copy(out.get(), dir.resolve("out"));
      }
      Files.writeString(dir.resolve(LIST), artifacts.stream().map(Artifact::name).collect(Collectors.joining("\n", "", "\n")),
          StandardCharsets.UTF_8);
    });
  }

  /**
   * The results the stage cache has for {@code key}, copied into the build's output directory as
   * a build would have left them (each artifact renamed into place whole, /out replaced).
   */
  static Optional<List<Artifact>> restore(StageCache cache, BuildPlan plan, BuildInputs.Key key) throws IOException {
    Optional<StageCache.Entry> entry = cache.find(stageKey(key));
    if (entry.isEmpty() || !Files.isRegularFile(entry.get().file(LIST))) {
      return Optional.empty();
    }
    Path dir = entry.get().directory();
    List<String> names = Files.readAllLines(dir.resolve(LIST), StandardCharsets.UTF_8).stream().filter(n -> !n.isBlank()).toList();
    if (names.isEmpty() || !names.stream().allMatch(n -> Files.isRegularFile(dir.resolve("artifacts").resolve(n), LinkOption.NOFOLLOW_LINKS))) {
      return Optional.empty();
    }
    Path output = plan.outputDirectory();
    Files.createDirectories(output);
    List<Artifact> artifacts = new ArrayList<>();
    for (String name : names) {
      Path target = output.resolve(name);
      Path temp = OwnedPaths.fresh(output, BuilderStage.TEMP, "-" + name + ".part");
      try {
        Files.copy(dir.resolve("artifacts").resolve(name), temp, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      artifacts.add(new Artifact(target, name, plan.platform()));
    }
    Path out = output.resolve("out");
    if (Files.isDirectory(dir.resolve("out"), LinkOption.NOFOLLOW_LINKS)) {
      Path fresh = OwnedPaths.fresh(output, BuilderStage.TEMP, "-out");
      TreeCopy.copy(dir.resolve("out"), fresh);
      BuilderStage.replaceDirectory(fresh, out);
    } else if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      // What an earlier, other build left in /out is not this result's.
      dev.msbuild.rootfs.LayerUnpacker.deleteRecursively(out);
    }
    return Optional.of(artifacts);
  }
}
