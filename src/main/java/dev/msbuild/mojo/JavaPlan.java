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
  record Jar(Path file, String groupId, String artifactId, String version, boolean snapshot) {}

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
    MainClass mainClass = mainClass(props.string(Setting.JAVA_MAIN_CLASS, params.mainClass),
        props.get(Setting.JAVA_MAIN_CLASS).isPresent(), jar, project.classes());
    List<String> notes = new ArrayList<>();
    Optional<Path> imageJar = jar.isPresent() && springBootJar(jar.get()) ? original(jar.get(), mode, notes) : jar;
    List<String> jvmFlags = props.list(Setting.JAVA_JVM_FLAGS, params.jvmFlags);
    List<Jar> kept = new ArrayList<>();
    for (Jar dependency : project.dependencies()) {
      if (DEV_ONLY.contains(dependency.groupId() + ":" + dependency.artifactId())) {
        notes.add("Left out " + dependency.file().getFileName() + ": " + dependency.artifactId()
            + " is for development only, and Spring Boot's own packaging leaves it out too");
      } else {
        kept.add(dependency);
      }
    }
    List<JavaSpec.Dependency> dependencies = dependencies(kept);
    checkOnClasspath(mainClass, mode, project.classes(), imageJar, dependencies);
    return Optional.of(new JavaSpec(mode, mainClass.name(), mainClass.origin(), jvmFlags, project.classes(), imageJar, dependencies,
        jlink(params.jlink, props), version(project.release()), notes));
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

  /** Dependencies Spring Boot's repackaging leaves out of the application by default: they are for development only. */
  private static final Set<String> DEV_ONLY = Set.of(
      "org.springframework.boot:spring-boot-devtools", "org.springframework.boot:spring-boot-docker-compose");

  /**
   * Whether the jar is one spring-boot-maven-plugin repackaged: the application's classes under
   * BOOT-INF/classes and its dependencies nested in BOOT-INF/lib, started by a launcher. Such a jar
   * works only with {@code java -jar}, never on a classpath.
   */
  static boolean springBootJar(Path jar) {
    Manifest manifest = manifest(jar);
    String main = attribute(manifest, "Main-Class");
    return attribute(manifest, "Spring-Boot-Version") != null || attribute(manifest, "Spring-Boot-Classes") != null
        || (main != null && main.startsWith(BOOT_LAUNCHERS));
  }

  /**
   * For a Spring Boot repackaged jar, the plain jar the repackaging kept beside it as
   * {@code <name>.jar.original}, as Jib does; in exploded mode no jar goes into the image at all.
   */
  private static Optional<Path> original(Path jar, JavaSpec.Mode mode, List<String> notes) {
    if (mode == JavaSpec.Mode.EXPLODED) {
      notes.add("Spring Boot project: " + jar.getFileName() + " is the repackaged jar; the image takes target/classes and the "
          + "dependencies as layers instead");
      return Optional.of(jar);
    }
    Path original = jar.resolveSibling(jar.getFileName() + ".original");
    if (!Files.isRegularFile(original)) {
      throw new MsbuildException(
          jar.getFileName() + " is Spring Boot's repackaged jar (its dependencies nested in BOOT-INF/lib), which does not run "
              + "from a classpath, and there is no " + original.getFileName() + " beside it to put in the image instead.",
          Setting.JAVA_MODE,
          "use " + Setting.JAVA_MODE.xml() + " exploded (the default), or give spring-boot-maven-plugin's repackage a "
              + "<classifier>exec</classifier> so that the project's own jar stays as it is.");
    }
    notes.add("Spring Boot project: " + jar.getFileName() + " is the repackaged jar; the image takes " + original.getFileName()
        + ", the project's own jar, and the dependencies as layers");
    return Optional.of(original);
  }

  /** Spring Boot's launchers, which a repackaged jar names as its Main-Class: never the application's own class. */
  static final String BOOT_LAUNCHERS = "org.springframework.boot.loader.";

  /**
   * The main class and where it came from, found as Jib finds it: configured, else the jar
   * manifest's Start-Class (Spring Boot), else its Main-Class unless that is a Spring Boot
   * launcher, else the one class in the compiled classes that declares
   * {@code public static void main(String[])}.
   */
  static MainClass mainClass(String configured, boolean fromProperty, Optional<Path> jar, Path classes) {
    if (configured != null && !configured.isBlank()) {
      String name = configured.trim();
      if (!CLASS_NAME.matcher(name).matches()) {
        throw new MsbuildException("'" + name + "' is not a Java class name.", Setting.JAVA_MAIN_CLASS,
            "give the fully qualified name of the class with main, for example com.example.App.");
      }
      return new MainClass(name, fromProperty ? "-D" + Setting.JAVA_MAIN_CLASS.property() : Setting.JAVA_MAIN_CLASS.xml());
    }
    String launcher = null;
    if (jar.isPresent()) {
      Manifest manifest = manifest(jar.get());
      String start = attribute(manifest, "Start-Class");
      if (start != null) {
        return new MainClass(start, "the Start-Class of " + jar.get().getFileName() + "'s manifest (Spring Boot)");
      }
      String main = attribute(manifest, "Main-Class");
      if (main != null && !main.startsWith(BOOT_LAUNCHERS)) {
        return new MainClass(main, "the Main-Class of " + jar.get().getFileName() + "'s manifest");
      }
      launcher = main;
    }
    List<String> candidates = classesWithMain(classes);
    if (candidates.size() == 1) {
      return new MainClass(candidates.get(0), "the one class with a main method in " + classes);
    }
    String manifestPart = jar.isEmpty() ? "there is no packaged jar to read a Main-Class from"
        : "the manifest of " + jar.get().getFileName() + " names "
            + (launcher == null ? "no Main-Class" : "only Spring Boot's launcher " + launcher + ", not the application's class");
    throw new MsbuildException(
        "No main class: " + Setting.JAVA_MAIN_CLASS.xml() + " is not set, " + manifestPart + ", and "
            + (candidates.isEmpty()
                ? "no class in " + classes + " declares public static void main(String[])"
                : candidates.size() + " classes in " + classes + " declare main: " + String.join(", ", candidates)) + ".",
        Setting.JAVA_MAIN_CLASS,
        "set " + Setting.JAVA_MAIN_CLASS + " to the class with main"
            + (candidates.isEmpty() ? " (for example com.example.App)" : ", one of " + String.join(", ", candidates))
            + ", or set it in maven-jar-plugin's <archive><manifest><mainClass>.");
  }

  /** @param origin where the name came from, for the log */
  record MainClass(String name, String origin) {}

  static Manifest manifest(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest();
    } catch (IOException e) {
      throw new MsbuildException("Could not read the manifest of " + jar + ": " + e.getMessage(),
          Setting.JAVA_MAIN_CLASS, "set " + Setting.JAVA_MAIN_CLASS + " to the class with main, or rebuild the jar (mvn clean package).", e);
    }
  }

  static String attribute(Manifest manifest, String name) {
    String value = manifest == null ? null : manifest.getMainAttributes().getValue(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The classes under {@code classes} that declare {@code public static void main(String[])}, sorted. */
  static List<String> classesWithMain(Path classes) {
    List<String> found = new ArrayList<>();
    if (!Files.isDirectory(classes)) {
      return found;
    }
    try (var walk = Files.walk(classes)) {
      for (Path file : walk.filter(f -> f.getFileName().toString().endsWith(".class") && Files.isRegularFile(f)).sorted().toList()) {
        String relative = classes.relativize(file).toString().replace('\\', '/');
        if (relative.startsWith("META-INF/") || relative.endsWith("module-info.class") || relative.endsWith("package-info.class")) {
          continue;
        }
        if (ClassFiles.hasMain(Files.readAllBytes(file))) {
          found.add(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'));
        }
      }
    } catch (IOException e) {
      throw new MsbuildException("Could not read the compiled classes in " + classes + ": " + e.getMessage(),
          Setting.JAVA_MAIN_CLASS, "set " + Setting.JAVA_MAIN_CLASS + " to the class with main, or check that target/ is readable.", e);
    }
    return found;
  }

  /**
   * Refuses a main class that is not on the image's classpath: the image would be pushed and then
   * die at start with ClassNotFoundException.
   */
  static void checkOnClasspath(MainClass main, JavaSpec.Mode mode, Path classes, Optional<Path> jar, List<JavaSpec.Dependency> dependencies) {
    String entry = main.name().replace('.', '/') + ".class";
    if (mode == JavaSpec.Mode.EXPLODED ? Files.isRegularFile(classes.resolve(entry)) : jarHas(jar.orElseThrow(), entry)) {
      return;
    }
    for (JavaSpec.Dependency dependency : dependencies) {
      if (jarHas(dependency.file(), entry)) {
        return;
      }
    }
    List<String> candidates = classesWithMain(classes);
    throw new MsbuildException(
        "The main class " + main.name() + " (from " + main.origin() + ") is not on the image's classpath: it is in neither "
            + (mode == JavaSpec.Mode.EXPLODED ? classes.toString() : jar.orElseThrow().getFileName().toString())
            + " nor the " + dependencies.size() + " runtime dependencies; the container would fail with ClassNotFoundException.",
        Setting.JAVA_MAIN_CLASS,
        "set " + Setting.JAVA_MAIN_CLASS + " to a class of the project or of a compile or runtime scope dependency"
            + (candidates.isEmpty() ? "" : " (classes with main here: " + String.join(", ", candidates) + ")")
            + "; a provided or test scope dependency is not in the image.");
  }

  private static boolean jarHas(Path jar, String entry) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getEntry(entry) != null;
    } catch (IOException e) {
      return false;
    }
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
      result.add(new JavaSpec.Dependency(jar.file(), clashing.contains(name) ? jar.groupId() + "-" + name : name, jar.snapshot(),
          new JavaSpec.Coordinates(jar.groupId(), jar.artifactId(), jar.version())));
    }
    return result;
  }

  private static Optional<JavaSpec.Jlink> jlink(JlinkParameters jlink, UserProperties props) {
    boolean configured = jlink != null && (jlink.enabled == null || jlink.enabled);
    if (!props.bool(Setting.JAVA_JLINK, configured)) {
      return Optional.empty();
    }
    JlinkParameters params = jlink == null ? new JlinkParameters() : jlink;
    List<String> modules = modules(props, Setting.JAVA_JLINK_MODULES, params.modules,
        "list module names such as java.base,java.logging; leave it empty to let jdeps find them.");
    List<String> addModules = modules(props, Setting.JAVA_JLINK_ADD_MODULES, params.addModules,
        "list module names such as jdk.crypto.ec,jdk.localedata, which are linked as well as those found or listed.");
    String compress = props.string(Setting.JAVA_JLINK_COMPRESS, params.compress);
    if (compress != null && !compress.isBlank() && !COMPRESS.matcher(compress.trim()).matches()) {
      throw new MsbuildException("'" + compress + "' is not a jlink compression.", Setting.JAVA_JLINK_COMPRESS,
          "use zip-0 to zip-9 (JDK 21 and later; zip-6 is the default), or 0, 1 or 2 for older JDKs.");
    }
    return Optional.of(new JavaSpec.Jlink(modules, addModules, compress == null || compress.isBlank() ? "" : compress.trim()));
  }

  private static List<String> modules(UserProperties props, Setting setting, List<String> configured, String fix) {
    List<String> modules = props.list(setting, configured).stream().filter(java.util.Objects::nonNull).map(String::trim).filter(m -> !m.isEmpty()).toList();
    for (String module : modules) {
      if (!MODULE.matcher(module).matches()) {
        throw new MsbuildException("'" + module + "' is not a module name.", setting, fix);
      }
    }
    return modules;
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

  private static int version(Optional<String> release) {
    return release.map(r -> r.trim().startsWith("1.") ? r.trim().substring(2) : r.trim())
        .filter(r -> r.matches("\\d+")).map(Integer::parseInt).orElse(25);
  }

  private static int lts(Optional<String> release) {
    int version = version(release);
    for (int lts : new int[] {8, 11, 17, 21}) {
      if (version <= lts) {
        return lts;
      }
    }
    return 25;
  }
}
