package dev.msbuild.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Java application, laid out as Jib does: its runtime dependencies, resources and classes as
 * separate layers (dependencies change least, so they come first), or its packaged jar.
 *
 * @param mode exploded classes and resources, or the packaged jar
 * @param mainClass the class the image runs
 * @param mainClassOrigin where the main class was found, for the log
 * @param jvmFlags flags before the main class
 * @param classes the compiled classes and copied resources ({@code target/classes})
 * @param jar the packaged jar, for the packaged mode
 * @param dependencies the runtime classpath, in Maven's order
 * @param jlink a runtime made by jlink in the builder stage; empty runs the base image's java
 * @param release the Java release the project is compiled for (its compiler's release or target), 25 when unset
 * @param notes what the build decided about the project that users should read in the log
 */
public record JavaSpec(
    Mode mode,
    String mainClass,
    String mainClassOrigin,
    List<String> jvmFlags,
    Path classes,
    Optional<Path> jar,
    List<Dependency> dependencies,
    Optional<Jlink> jlink,
    int release,
    List<String> notes) {

  /** Where the application goes in the image. */
  public static final String APP_ROOT = "/app";
  /** The classpath's {@code @argfile} in the image, when the classpath is too long to list in the entrypoint. */
  public static final String CLASSPATH_ARGFILE = APP_ROOT + "/classpath.argfile";
  /** Where a jlink runtime goes in the image. */
  public static final String RUNTIME_HOME = "/opt/java";

  public JavaSpec {
    jvmFlags = List.copyOf(jvmFlags);
    dependencies = List.copyOf(dependencies);
    notes = List.copyOf(notes);
  }

  /** The jar's name in the image: a Spring Boot {@code .jar.original} under the name it had before repackaging. */
  public static String imageJarName(Path jar) {
    String name = jar.getFileName().toString();
    return name.endsWith(".jar.original") ? name.substring(0, name.length() - ".original".length()) : name;
  }

  /** How the application's own code is laid out. */
  public enum Mode {
    /** {@code /app/classes} and {@code /app/resources}, each its own layer (Jib's default). */
    EXPLODED,
    /** The project's jar at {@code /app/<name>.jar}. */
    PACKAGED
  }

  /**
   * One jar of the runtime classpath.
   *
   * @param fileName its name under {@code /app/libs}, unique in the image
   * @param snapshot a SNAPSHOT version: it gets a layer of its own, as it changes more often
   */
  public record Dependency(Path file, String fileName, boolean snapshot, Coordinates coordinates) {
    public Dependency(Path file, String fileName, boolean snapshot) {
      this(file, fileName, snapshot, new Coordinates("", fileName, ""));
    }
  }

  /** A jar's Maven coordinates, as the SBOM names it. */
  public record Coordinates(String groupId, String artifactId, String version) {}

  /**
   * @param modules the modules to link; empty means those jdeps finds the application needs
   * @param addModules modules linked as well, whichever way the others were found
   * @param compress jlink's {@code --compress} value
   */
  public record Jlink(List<String> modules, List<String> addModules, String compress) {
    public Jlink {
      modules = List.copyOf(modules);
      addModules = List.copyOf(addModules);
    }
  }
}
