package dev.msbuild.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a project of a reactor is only a parent or aggregator of modules: it has modules below
 * it, and nothing to build of its own (no Go main package, no {@code <builder><command>}, no Java
 * sources, no {@code <java>}). Such a project is skipped with a line saying so; with the plugin
 * declared once in a parent's {@code <build><plugins>}, every module builds its own image.
 */
public final class NothingToBuild {
  /**
   * The project, as far as this question goes.
   *
   * @param name how the log names it (the artifactId)
   * @param packaging the pom's packaging
   * @param modules the modules it aggregates
   * @param mainPackage the Go main package's directory ({@code <builder><mainPackage>} resolved)
   * @param command whether a {@code <builder><command>} is set
   * @param java whether {@code <java>} (or one of its properties) is set
   * @param javaSourceRoots Maven's compile source roots
   */
  public record Project(String name, String packaging, List<String> modules, Path mainPackage, boolean command,
      boolean java, List<Path> javaSourceRoots) {
    public Project {
      modules = List.copyOf(modules);
      javaSourceRoots = List.copyOf(javaSourceRoots);
    }
  }

  private NothingToBuild() {}

  /** Why {@code project} has nothing to build, for the log; empty when it has. */
  public static Optional<String> why(Project project) {
    if (project.modules().isEmpty() || project.command() || project.java() || hasGoFiles(project.mainPackage())) {
      return Optional.empty();
    }
    Optional<Path> javaSources = project.javaSourceRoots().stream().filter(NothingToBuild::hasJavaFiles).findFirst();
    if (javaSources.isPresent()) {
      return Optional.empty();
    }
    String roots = project.javaSourceRoots().isEmpty() ? "no source roots"
        : String.join(", ", project.javaSourceRoots().stream().map(Path::toString).toList());
    return Optional.of(project.name() + " (packaging " + project.packaging() + ") is a parent of "
        + project.modules().size() + " module(s) (" + String.join(", ", project.modules())
        + ") with nothing to build of its own: no Go main package (no .go files in " + project.mainPackage() + ", "
        + Setting.BUILDER_MAIN_PACKAGE.xml() + "), no " + Setting.BUILDER_COMMAND.xml() + " and no Java sources ("
        + roots + "). Each module builds its own image.");
  }

  private static boolean hasGoFiles(Path dir) {
    return anyFile(dir, false, ".go");
  }

  private static boolean hasJavaFiles(Path root) {
    return anyFile(root, true, ".java");
  }

  private static boolean anyFile(Path dir, boolean deep, String suffix) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = deep ? Files.walk(dir) : Files.list(dir)) {
      return files.anyMatch(p -> {
        String name = p.getFileName().toString();
        return name.endsWith(suffix) && !name.endsWith("_test.go") && Files.isRegularFile(p);
      });
    } catch (IOException | UncheckedIOException e) {
      return true; // cannot tell: build, and let the build say what is wrong
    }
  }
}
