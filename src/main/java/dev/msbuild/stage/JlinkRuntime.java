package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.JavaSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.rootfs.LayerUnpacker;
import dev.msbuild.rootfs.RootPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java builder stage: in the builder image's JDK, jdeps finds the modules the application
 * needs (unless they are listed), and jlink links a runtime of only those into {@code /out/runtime}.
 */
final class JlinkRuntime {
  private static final Pattern MODULE_LIST = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*(,[A-Za-z][A-Za-z0-9_.]*)*");
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?([0-9][^\"\\s]*)\"?");

  private final BuildPlan plan;
  private final UnpackedImage image;
  private final Sandbox sandbox;
  private final BuildLog log;
  private final Redactor redactor;

  JlinkRuntime(BuildPlan plan, UnpackedImage image, Sandbox sandbox, BuildLog log) {
    this.plan = plan;
    this.image = image;
    this.sandbox = sandbox;
    this.log = log;
    this.redactor = new Redactor(plan.builder().secrets());
  }

  /** The JDK's home in the image, found by its jlink on the image's PATH. */
  private record Jdk(String home, Path hostHome, String version) {
    int feature() {
      return Integer.parseInt(version.split("[.+-]")[0]);
    }
  }

  JavaRuntime link(Path outDir) throws IOException, InterruptedException {
    JavaSpec java = plan.java().orElseThrow();
    JavaSpec.Jlink jlink = java.jlink().orElseThrow();
    Jdk jdk = findJdk();
    Path input = stageInput(java);
    Path scratch = OwnedPaths.fresh(plan.outputDirectory(), BuilderStage.TEMP, "-sandbox");
    Throwable failure = null;
    try {
      List<String> modules = jlink.modules();
      if (modules.isEmpty()) {
        modules = jdeps(jdk, java, input, scratch, outDir);
      } else {
        log.info("Modules from " + Setting.JAVA_JLINK_MODULES.xml() + ": " + String.join(",", modules));
      }
      if (!jlink.addModules().isEmpty()) {
        Set<String> all = new LinkedHashSet<>(modules);
        all.addAll(jlink.addModules());
        modules = List.copyOf(all);
        log.info("Modules added by " + Setting.JAVA_JLINK_ADD_MODULES.xml() + ": " + String.join(",", jlink.addModules()));
      }
      String compress = jlink.compress().isEmpty() ? (jdk.feature() >= 21 ? "zip-6" : "2") : jlink.compress();
      // --strip-debug also strips native symbols with objcopy (JDK 13+); a JDK image without
      // binutils (the alpine ones) can still strip the Java debug attributes.
      String strip = onPath("objcopy") ? "--strip-debug" : "--strip-java-debug-attributes";
      if (!onPath("objcopy")) {
        log.info("The builder image has no objcopy (binutils): jlink strips Java debug attributes only, native symbols stay");
      }
      List<String> argv = List.of(jdk.home() + "/bin/jlink", "--add-modules", String.join(",", modules), strip,
          "--no-header-files", "--no-man-pages", "--compress=" + compress, "--output", SandboxSpec.OUT + "/runtime");
      ProcessRunner.Result result = run(argv, input, scratch, outDir);
      if (result.exitCode() != 0 || result.timedOut()) {
        throw new MsbuildException(
            "jlink failed with exit code " + result.exitCode() + ".\n  Command: " + String.join(" ", argv) + "\n  Output:\n"
                + indent(result.output()),
            Setting.JAVA_JLINK_MODULES,
            "check the module names in " + Setting.JAVA_JLINK_MODULES + " and " + Setting.JAVA_JLINK_ADD_MODULES + " against `java --list-modules` of " + plan.builder().image()
                + ", and that the jlink compression suits JDK " + jdk.version() + " (" + Setting.JAVA_JLINK_COMPRESS + ").");
      }
      Path home = outDir.resolve("runtime");
      Path java0 = home.resolve("bin/java");
      if (!Files.isRegularFile(java0)) {
        throw new MsbuildException("jlink wrote no bin/java in " + home + ".", Setting.JAVA_JLINK_MODULES,
            "include java.base in " + Setting.JAVA_JLINK_MODULES + ".");
      }
      List<List<String>> needed = neededFromOutside(home);
      return new JavaRuntime(home, modules, jdk.version(), image.pinned(),
          Elf.interpreter(java0), needed.get(0), needed.get(1));
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      Cleanup.remove(log, failure, scratch, input);
    }
  }

  private String imagePath() {
    return image.config().envMap().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  private boolean onPath(String program) throws IOException {
    for (String dir : imagePath().split(":")) {
      if (!dir.isEmpty() && RootPaths.resolve(image.root(), dir + "/" + program).filter(Files::isRegularFile).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private Jdk findJdk() throws IOException {
    String path = imagePath();
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Optional<Path> jlink = RootPaths.resolve(image.root(), dir + "/jlink");
      if (jlink.isPresent() && Files.isRegularFile(jlink.get())) {
        Path hostHome = jlink.get().getParent().getParent();
        Path release = hostHome.resolve("release");
        Matcher m = VERSION.matcher(Files.isRegularFile(release) ? head(release) : "");
        String version = m.find() ? m.group(1) : image.config().envMap().getOrDefault("JAVA_VERSION", "");
        if (!version.matches("\\d+.*")) {
          throw new MsbuildException("Could not tell the Java version of the JDK in " + plan.builder().image()
              + " (no JAVA_VERSION in " + "/" + image.root().relativize(release) + ").",
              Setting.BUILDER_IMAGE, "use a JDK image such as eclipse-temurin:25-jdk.");
        }
        String home = "/" + image.root().relativize(hostHome);
        log.info("Builder JDK: " + version + " at " + home + " in " + image.pinned());
        return new Jdk(home, hostHome, version);
      }
    }
    throw new MsbuildException(
        "Builder image " + plan.builder().image() + " has no jlink on its PATH (" + path + "): it is not a JDK image.",
        Setting.BUILDER_IMAGE,
        "use a JDK image (eclipse-temurin:25-jdk, or eclipse-temurin:25-jdk-alpine for a musl runtime), or turn "
            + Setting.JAVA_JLINK + " off to run on a JRE base.");
  }

  /** The start of a file from the builder image, which is hostile input: a JDK's release file is under 2 KB. */
  private static String head(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The application as jdeps reads it, mounted at /src: its classes or jar, and libs/. */
  private Path stageInput(JavaSpec java) throws IOException {
    Path input = OwnedPaths.createDirectory(plan.outputDirectory(), BuilderStage.TEMP, "-java-input");
    try {
      copyInput(java, input);
      return input;
    } catch (IOException | RuntimeException e) {
      LayerUnpacker.deleteRecursively(input);
      throw e;
    }
  }

  private static void copyInput(JavaSpec java, Path input) throws IOException {
    Files.createDirectories(input.resolve("libs"));
    if (java.mode() == JavaSpec.Mode.PACKAGED) {
      Files.copy(java.jar().orElseThrow(), input.resolve("app.jar"));
    } else {
      Path classes = java.classes();
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          Path target = input.resolve("classes").resolve(classes.relativize(file).toString());
          Files.createDirectories(target.getParent());
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.createDirectories(input.resolve("classes"));
    }
    for (JavaSpec.Dependency dependency : java.dependencies()) {
      Files.copy(dependency.file(), input.resolve("libs").resolve(dependency.fileName()));
    }
  }

  /**
   * What Spring Boot and common libraries load reflectively or through services, which jdeps
   * cannot see when it cannot follow the whole classpath: JNDI, JDBC, JMX, agents, and the
   * internal APIs (sun.misc.Unsafe) that many libraries use.
   */
  static final List<String> FALLBACK_MODULES =
      List.of("java.naming", "java.sql", "java.management", "java.instrument", "jdk.unsupported");

  /**
   * jdeps as real applications need it: the dependency jars on {@code --class-path} (not as
   * inputs, so their module descriptors do not pull in modules that are not on the runtime
   * classpath), missing classes ignored, followed {@code --recursive}ly from the application's own
   * code, multi-release jars read for the runtime's feature version.
   */
  static List<String> jdepsArguments(String jdeps, int feature, String app, List<String> libs, boolean recursive) {
    List<String> argv = new ArrayList<>(List.of(jdeps, "--ignore-missing-deps", "-q"));
    if (recursive) {
      argv.add("--recursive");
    }
    argv.addAll(List.of("--multi-release", String.valueOf(feature), "--print-module-deps"));
    if (!libs.isEmpty()) {
      argv.add("--class-path");
      argv.add(String.join(":", libs));
    }
    argv.add(app);
    return argv;
  }

  /** The last line of jdeps' output that is a module list, if any. */
  static Optional<String> moduleList(String output) {
    String[] lines = output.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (MODULE_LIST.matcher(lines[i].trim()).matches()) {
        return Optional.of(lines[i].trim());
      }
    }
    return Optional.empty();
  }

  /**
   * The modules when jdeps could not follow the classpath: what it found for the application's
   * own classes, the {@link #FALLBACK_MODULES}, and java.desktop when the code names AWT, Swing,
   * image I/O or java.beans.
   */
  static List<String> fallbackModules(List<String> found, boolean desktop) {
    Set<String> modules = new LinkedHashSet<>(List.of("java.base"));
    modules.addAll(found);
    modules.addAll(FALLBACK_MODULES);
    if (desktop) {
      modules.add("java.desktop");
    }
    return List.copyOf(modules);
  }

  private static final List<byte[]> DESKTOP_PACKAGES = Stream.of("java/awt/", "javax/swing/", "javax/imageio/", "java/beans/")
      .map(p -> p.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toList();

  /** Whether a class file of the application or of a dependency jar names a java.desktop package. */
  static boolean referencesDesktop(Path classes, List<Path> jars) throws IOException {
    if (Files.isDirectory(classes)) {
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path file : walk.filter(f -> f.toString().endsWith(".class") && Files.isRegularFile(f)).toList()) {
          if (namesDesktop(Files.readAllBytes(file))) {
            return true;
          }
        }
      }
    }
    for (Path jar : jars) {
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
        var entries = zip.entries();
        while (entries.hasMoreElements()) {
          var entry = entries.nextElement();
          if (entry.getName().endsWith(".class") && entry.getSize() < (16 << 20)) {
            try (java.io.InputStream in = zip.getInputStream(entry)) {
              if (namesDesktop(in.readAllBytes())) {
                return true;
              }
            }
          }
        }
      } catch (java.util.zip.ZipException e) {
        // not a jar: nothing to scan
      }
    }
    return false;
  }

  private static boolean namesDesktop(byte[] classFile) {
    for (byte[] prefix : DESKTOP_PACKAGES) {
      outer:
      for (int i = 0; i + prefix.length <= classFile.length; i++) {
        for (int j = 0; j < prefix.length; j++) {
          if (classFile[i + j] != prefix[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }

  private List<String> jdeps(Jdk jdk, JavaSpec java, Path input, Path scratch, Path outDir)
      throws IOException, InterruptedException {
    List<String> libs = java.dependencies().stream().map(d -> SandboxSpec.SOURCE + "/libs/" + d.fileName()).toList();
    String app = SandboxSpec.SOURCE + (java.mode() == JavaSpec.Mode.PACKAGED ? "/app.jar" : "/classes");
    List<String> argv = jdepsArguments(jdk.home() + "/bin/jdeps", jdk.feature(), app, libs, true);
    ProcessRunner.Result result = run(argv, input, scratch, outDir);
    Optional<String> found = moduleList(result.output());
    if (result.exitCode() == 0 && !result.timedOut() && found.isPresent()) {
      log.info("Modules found by jdeps: " + found.get());
      return List.of(found.get().split(","));
    }
    // jdeps could not follow the whole classpath: what it finds for the application's own code,
    // plus what libraries commonly load at run time, still gives a runtime that starts.
    log.warn("jdeps could not follow the classpath (exit code " + result.exitCode() + "):\n" + indent(result.output()));
    List<String> direct = jdepsArguments(jdk.home() + "/bin/jdeps", jdk.feature(), app, libs, false);
    ProcessRunner.Result own = run(direct, input, scratch, outDir);
    Optional<String> ownModules = own.exitCode() == 0 && !own.timedOut() ? moduleList(own.output()) : Optional.empty();
    List<Path> jars = new ArrayList<>();
    if (java.mode() == JavaSpec.Mode.PACKAGED) {
      jars.add(input.resolve("app.jar"));
    }
    java.dependencies().forEach(d -> jars.add(input.resolve("libs").resolve(d.fileName())));
    boolean desktop = referencesDesktop(input.resolve("classes"), jars);
    List<String> modules = fallbackModules(ownModules.map(m -> List.of(m.split(","))).orElse(List.of()), desktop);
    log.warn("Modules by the fallback: " + String.join(",", modules) + " (the application's own "
        + ownModules.orElse("(none found)") + ", plus " + String.join(",", FALLBACK_MODULES)
        + (desktop ? ", and java.desktop, which the code names" : "") + "). If the application needs more at run time, add them "
        + "with " + Setting.JAVA_JLINK_ADD_MODULES + ", or list them all in " + Setting.JAVA_JLINK_MODULES + ".");
    return modules;
  }

  private ProcessRunner.Result run(List<String> argv, Path input, Path scratch, Path outDir)
      throws IOException, InterruptedException {
    LayerUnpacker.deleteRecursively(scratch);
    Map<String, String> env = new LinkedHashMap<>(image.config().envMap());
    env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOME", "/root");
    env.putAll(plan.builder().env());
    Path cache = plan.cacheDirectory().resolve("java").resolve(image.shortDigest());
    Files.createDirectories(cache);
    SandboxSpec spec = new SandboxSpec(image.root(), scratch, input, outDir, cache, Optional.empty(), Optional.empty(),
        Optional.empty(), env, "/root", plan.builder().network(), argv);
    log.info("$ " + String.join(" ", argv));
    return ProcessRunner.run(sandbox.command(spec), plan.sourceDirectory(), env, plan.builder().timeout(), redactor, log, "[build] ");
  }

  /** What every Java program loads: the launcher, the VM and the core native libraries. */
  private static final Set<String> CORE = Set.of(
      "java", "libjli.so", "libjvm.so", "libjava.so", "libjimage.so", "libzip.so", "libnio.so", "libnet.so", "libverify.so");

  /**
   * The libraries the runtime needs that it does not carry, the base must provide: those of its
   * core (libc, libz, ...), which every start loads. Other modules' libraries (AWT's libX11, sound's
   * libasound) load only when those APIs are used; they are returned apart, for the log.
   */
  private static List<List<String>> neededFromOutside(Path home) throws IOException {
    Set<String> own = new LinkedHashSet<>();
    Set<String> core = new LinkedHashSet<>();
    Set<String> onDemand = new LinkedHashSet<>();
    try (Stream<Path> walk = Files.walk(home)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        own.add(name);
        if (Elf.isElf(file)) {
          (CORE.contains(name) ? core : onDemand).addAll(Elf.needed(file));
        }
      }
    }
    core.removeAll(own);
    onDemand.removeAll(own);
    onDemand.removeAll(core);
    return List.of(new ArrayList<>(core), new ArrayList<>(onDemand));
  }

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }
}
