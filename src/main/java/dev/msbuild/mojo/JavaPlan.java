package dev.msbuild.mojo;

import dev.msbuild.config.JavaSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/** Validates {@code <java>} against what Maven built, and decides whether the project is a Java one. */
final class JavaPlan {
  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
  private static final Pattern MODULE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*|ALL-MODULE-PATH");
  private static final Pattern COMPRESS = Pattern.compile("zip-[0-9]|[0-2]");

  /**
   * What Maven knows of a Java project.
   *
   * @param packaging the pom's packaging
   * @param classes {@code target/classes}
   * @param jar the packaged jar, once {@code package} ran
   * @param dependencies the runtime classpath, in Maven's order
   * @param release {@code maven.compiler.release} (or {@code .target}), if set
   */
  record Project(String packaging, Path classes, Optional<Path> jar, List<Jar> dependencies, Optional<String> release) {}

  /** A dependency as Maven resolved it. */
  record Jar(Path file, String groupId, String artifactId, boolean snapshot) {}

  private JavaPlan() {}

  /**
   * The Java application, when this is a Java project: {@code <java>} is configured, or the
   * packaging is {@code jar}, Maven compiled classes, and the source has no go.mod or .go file
   * (a Go project's markers).
   */
  static Optional<JavaSpec> create(JavaParameters java, Project project, Path source, boolean builderCommand, UserProperties props) {
    if (project == null) {
      return Optional.empty();
    }
    boolean configured = java != null
        || props.get(Setting.JAVA_MAIN_CLASS).isPresent() || props.get(Setting.JAVA_JLINK).isPresent();
    boolean jarProject = "jar".equals(project.packaging()) && Files.isDirectory(project.classes()) && !goSource(source);
    if (!configured && (!jarProject || builderCommand)) {
      return Optional.empty();
    }
    if (builderCommand) {
      throw new MsbuildException(
          "A " + Setting.BUILDER_COMMAND.xml() + " and " + Setting.JAVA.xml() + " are both set; a Java project's builder stage is jlink.",
          Setting.BUILDER_COMMAND,
          "remove " + Setting.BUILDER_COMMAND + " for a Java project, or remove " + Setting.JAVA + " to run the command.");
    }
    JavaParameters params = java == null ? new JavaParameters() : java;
    String modeText = props.string(Setting.JAVA_MODE, params.mode);
    JavaSpec.Mode mode = modeText == null || modeText.isBlank() ? JavaSpec.Mode.EXPLODED : mode(modeText);
    Optional<Path> jar = project.jar().filter(Files::isRegularFile);
    if (mode == JavaSpec.Mode.PACKAGED && jar.isEmpty()) {
      throw new MsbuildException(
          "The project's jar has not been built, and " + Setting.JAVA_MODE.xml() + " packaged puts it in the image.",
          Setting.JAVA_MODE,
          "run the package phase first (mvn package msbuild:image), or use " + Setting.JAVA_MODE.xml() + " exploded.");
    }
    if (!Files.isDirectory(project.classes())) {
      throw new MsbuildException(
          "There are no compiled classes in " + project.classes() + ".",
          Setting.JAVA,
          "run the package phase first (mvn package msbuild:image), or remove " + Setting.JAVA.xml() + " if this is not a Java project.");
    }
    String mainClass = mainClass(props.string(Setting.JAVA_MAIN_CLASS, params.mainClass), jar);
    List<String> jvmFlags = props.list(Setting.JAVA_JVM_FLAGS, params.jvmFlags);
    return Optional.of(new JavaSpec(mode, mainClass, jvmFlags, project.classes(), jar, dependencies(project.dependencies()),
        jlink(params.jlink, props)));
  }

  private static boolean goSource(Path source) {
    if (Files.exists(source.resolve("go.mod"))) {
      return true;
    }
    try (var files = Files.list(source)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".go"));
    } catch (IOException e) {
      return false;
    }
  }

  private static JavaSpec.Mode mode(String text) {
    try {
      return JavaSpec.Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MsbuildException("'" + text + "' is not one of the choices.", Setting.JAVA_MODE,
          "use exploded (classes and resources as layers, the default) or packaged (the project's jar).");
    }
  }

  /** The configured main class, else the jar manifest's Main-Class. */
  private static String mainClass(String configured, Optional<Path> jar) {
    if (configured != null && !configured.isBlank()) {
      String name = configured.trim();
      if (!CLASS_NAME.matcher(name).matches()) {
        throw new MsbuildException("'" + name + "' is not a Java class name.", Setting.JAVA_MAIN_CLASS,
            "give the fully qualified name of the class with main, for example com.example.App.");
      }
      return name;
    }
    if (jar.isPresent()) {
      try (JarFile file = new JarFile(jar.get().toFile())) {
        Manifest manifest = file.getManifest();
        String fromManifest = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
        if (fromManifest != null && !fromManifest.isBlank()) {
          return fromManifest.trim();
        }
      } catch (IOException e) {
        throw new MsbuildException("Could not read the manifest of " + jar.get() + ": " + e.getMessage(),
            Setting.JAVA_MAIN_CLASS, "set " + Setting.JAVA_MAIN_CLASS + " to the class with main.", e);
      }
    }
    throw new MsbuildException(
        "No main class: " + Setting.JAVA_MAIN_CLASS.xml() + " is not set and "
            + jar.map(j -> "the manifest of " + j.getFileName() + " has no Main-Class").orElse("there is no packaged jar to read one from") + ".",
        Setting.JAVA_MAIN_CLASS,
        "set " + Setting.JAVA_MAIN_CLASS + " to the class with main (for example com.example.App), or set it in "
            + "maven-jar-plugin's <archive><manifest><mainClass>.");
  }

  /** Each jar under a unique name: its own, or prefixed with its group when two share a name. */
  private static List<JavaSpec.Dependency> dependencies(List<Jar> jars) {
    Set<String> seen = new HashSet<>();
    Set<String> clashing = new HashSet<>();
    for (Jar jar : jars) {
      if (!seen.add(jar.file().getFileName().toString())) {
        clashing.add(jar.file().getFileName().toString());
      }
    }
    List<JavaSpec.Dependency> result = new ArrayList<>();
    for (Jar jar : jars) {
      String name = jar.file().getFileName().toString();
      if (!Files.isRegularFile(jar.file())) {
        throw new MsbuildException(
            "The dependency " + jar.groupId() + ":" + jar.artifactId() + " is not a jar file (" + jar.file() + ").",
            Setting.JAVA,
            "run the package phase in the same build (mvn package msbuild:image), so reactor modules are packaged jars.");
      }
      result.add(new JavaSpec.Dependency(jar.file(), clashing.contains(name) ? jar.groupId() + "-" + name : name, jar.snapshot()));
    }
    return result;
  }

  private static Optional<JavaSpec.Jlink> jlink(JlinkParameters jlink, UserProperties props) {
    boolean configured = jlink != null && (jlink.enabled == null || jlink.enabled);
    if (!props.bool(Setting.JAVA_JLINK, configured)) {
      return Optional.empty();
    }
    JlinkParameters params = jlink == null ? new JlinkParameters() : jlink;
    List<String> modules = props.list(Setting.JAVA_JLINK_MODULES, params.modules).stream().map(String::trim).toList();
    for (String module : modules) {
      if (!MODULE.matcher(module).matches()) {
        throw new MsbuildException("'" + module + "' is not a module name.", Setting.JAVA_JLINK_MODULES,
            "list module names such as java.base,java.logging; leave it empty to let jdeps find them.");
      }
    }
    String compress = props.string(Setting.JAVA_JLINK_COMPRESS, params.compress);
    if (compress != null && !compress.isBlank() && !COMPRESS.matcher(compress.trim()).matches()) {
      throw new MsbuildException("'" + compress + "' is not a jlink compression.", Setting.JAVA_JLINK_COMPRESS,
          "use zip-0 to zip-9 (JDK 21 and later; zip-6 is the default), or 0, 1 or 2 for older JDKs.");
    }
    return Optional.of(new JavaSpec.Jlink(modules, compress == null || compress.isBlank() ? "" : compress.trim()));
  }

  /**
   * The JRE image Jib would pick for the project's Java release: eclipse-temurin 8, 11, 17, 21 or
   * 25, the oldest that is at least the release.
   */
  static String defaultBase(Optional<String> release) {
    return "eclipse-temurin:" + lts(release) + "-jre";
  }

  /** The JDK image for a jlink builder stage, by the same rule. */
  static String defaultBuilder(Optional<String> release) {
    return "eclipse-temurin:" + lts(release) + "-jdk";
  }

  private static int lts(Optional<String> release) {
    int version = release.map(r -> r.trim().startsWith("1.") ? r.trim().substring(2) : r.trim())
        .filter(r -> r.matches("\\d+")).map(Integer::parseInt).orElse(25);
    for (int lts : new int[] {8, 11, 17, 21}) {
      if (version <= lts) {
        return lts;
      }
    }
    return 25;
  }
}
