package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.JavaSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Java application as layers, in the order Jib uses (what changes least first): a jlink runtime
 * if there is one, release dependencies, snapshot dependencies, resources, classes (or the
 * packaged jar); and the entrypoint that runs it.
 */
public final class JavaLayers {
  private JavaLayers() {}

  /**
   * One layer to write.
   *
   * @param fileName its file under the staging directory
   * @param history the image history line, as a Dockerfile would say it
   */
  public record Planned(String fileName, String history, List<LayerEntry> entries) {}

  /**
   * @param layers the layers, empty ones left out
   * @param entrypoint {@code java <jvmFlags> -cp <classpath> <mainClass>}
   * @param environment JAVA_HOME and PATH for a jlink runtime; nothing otherwise
   */
  public record Layout(List<Planned> layers, List<String> entrypoint, Map<String, String> environment) {}

  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * @param runtime the jlink runtime's directory on this machine, if any
   * @param basePath the base image's PATH, if it sets one
   */
  public static Layout plan(JavaSpec java, Optional<Path> runtime, Optional<String> basePath) throws IOException {
    return plan(java, runtime, basePath, true);
  }

  /**
   * A classpath longer than this goes into {@link JavaSpec#CLASSPATH_ARGFILE}, as Jib's
   * jib-classpath-file, rather than into the entrypoint.
   */
  static final int LONG_CLASSPATH = 1024;

  /**
   * @param argFiles the runtime's java reads {@code @argfiles} (Java 9 and later)
   */
  public static Layout plan(JavaSpec java, Optional<Path> runtime, Optional<String> basePath, boolean argFiles) throws IOException {
    List<Planned> layers = new ArrayList<>();
    String app = JavaSpec.APP_ROOT;
    if (runtime.isPresent()) {
      List<LayerEntry> entries = tree(runtime.get(), JavaSpec.RUNTIME_HOME, Optional.empty());
      layers.add(new Planned("java-runtime.tar.gz", "COPY --from=builder /out/runtime " + JavaSpec.RUNTIME_HOME + " (jlink)", entries));
    }
    List<LayerEntry> release = new ArrayList<>();
    List<LayerEntry> snapshots = new ArrayList<>();
    List<String> classpath = new ArrayList<>();
    for (JavaSpec.Dependency dependency : java.dependencies()) {
      String path = app + "/libs/" + dependency.fileName();
      (dependency.snapshot() ? snapshots : release).add(new LayerEntry.FileEntry(path, dependency.file(), 0644, Owner.ROOT));
      classpath.add(path);
    }
    add(layers, "dependencies.tar.gz", "COPY dependencies " + app + "/libs/", release);
    add(layers, "snapshot-dependencies.tar.gz", "COPY snapshot dependencies " + app + "/libs/", snapshots);
    List<String> own = new ArrayList<>();
    if (java.mode() == JavaSpec.Mode.PACKAGED) {
      Path jar = java.jar().orElseThrow();
      String path = app + "/" + JavaSpec.imageJarName(jar);
      add(layers, "jar.tar.gz", "COPY " + JavaSpec.imageJarName(jar) + " " + app + "/",
          List.of(new LayerEntry.FileEntry(path, jar, 0644, Owner.ROOT)));
      own.add(path);
    } else {
      List<LayerEntry> resources = tree(java.classes(), app + "/resources", Optional.of(false));
      List<LayerEntry> classes = tree(java.classes(), app + "/classes", Optional.of(true));
      add(layers, "resources.tar.gz", "COPY resources " + app + "/resources/", resources);
      add(layers, "classes.tar.gz", "COPY classes " + app + "/classes/", classes);
      own.add(app + "/resources");
      own.add(app + "/classes");
    }
    own.addAll(classpath);
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add(runtime.isPresent() ? JavaSpec.RUNTIME_HOME + "/bin/java" : "java");
    entrypoint.addAll(java.jvmFlags());
    entrypoint.add("-cp");
    String joined = String.join(":", own);
    if (argFiles && joined.length() > LONG_CLASSPATH) {
      // One argument, quoted as the launcher's @argfile syntax reads it; the same classpath gives the same bytes.
      String quoted = "\"" + joined.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
      add(layers, "classpath.tar.gz", "COPY classpath.argfile " + JavaSpec.CLASSPATH_ARGFILE,
          List.of(new LayerEntry.BytesEntry(JavaSpec.CLASSPATH_ARGFILE, quoted.getBytes(StandardCharsets.UTF_8), 0644, Owner.ROOT)));
      entrypoint.add("@" + JavaSpec.CLASSPATH_ARGFILE);
    } else {
      entrypoint.add(joined);
    }
    entrypoint.add(java.mainClass());
    Map<String, String> environment = new LinkedHashMap<>();
    if (runtime.isPresent()) {
      environment.put("JAVA_HOME", JavaSpec.RUNTIME_HOME);
      environment.put("PATH", JavaSpec.RUNTIME_HOME + "/bin:" + basePath.filter(p -> !p.isBlank()).orElse(DEFAULT_PATH));
    }
    return new Layout(layers, entrypoint, environment);
  }

  private static void add(List<Planned> layers, String file, String history, List<LayerEntry> entries) {
    if (!entries.isEmpty()) {
      layers.add(new Planned(file, history, entries));
    }
  }

  /**
   * A directory's files under {@code into}: everything ({@code classFiles} empty), only .class
   * files (true) or everything else (false). Modes are kept for a runtime; the application's own
   * files are 644 as Jib makes them. Symlinks stay symlinks.
   */
  private static List<LayerEntry> tree(Path root, String into, Optional<Boolean> classFiles) throws IOException {
    List<LayerEntry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.sorted().toList()) {
        if (file.equals(root)) {
          continue;
        }
        String imagePath = into + "/" + root.relativize(file).toString().replace('\\', '/');
        if (Files.isSymbolicLink(file)) {
          entries.add(new LayerEntry.SymlinkEntry(imagePath, Files.readSymbolicLink(file).toString(), Owner.ROOT));
        } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          boolean isClass = file.getFileName().toString().endsWith(".class");
          if (classFiles.isEmpty()) {
            entries.add(new LayerEntry.FileEntry(imagePath, file, mode(file), Owner.ROOT));
          } else if (classFiles.get() == isClass) {
            entries.add(new LayerEntry.FileEntry(imagePath, file, 0644, Owner.ROOT));
          }
        } else if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && classFiles.isEmpty()) {
          entries.add(new LayerEntry.DirectoryEntry(imagePath, 0755, Owner.ROOT));
        }
      }
    }
    return entries;
  }

  /** The file's permission bits, with group and others given read (and execute where the owner has it). */
  private static int mode(Path file) throws IOException {
    int mode = 0;
    for (PosixFilePermission p : Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) {
      mode |= 1 << (8 - p.ordinal());
    }
    return (mode & 0100) != 0 ? 0755 : 0644;
  }
}
