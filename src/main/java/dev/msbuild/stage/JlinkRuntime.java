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
            "check the module names in " + Setting.JAVA_JLINK_MODULES + " against `java --list-modules` of " + plan.builder().image()
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

  private List<String> jdeps(Jdk jdk, JavaSpec java, Path input, Path scratch, Path outDir)
      throws IOException, InterruptedException {
    List<String> libs = java.dependencies().stream().map(d -> SandboxSpec.SOURCE + "/libs/" + d.fileName()).toList();
    List<String> argv = new ArrayList<>(List.of(jdk.home() + "/bin/jdeps", "--ignore-missing-deps", "--print-module-deps",
        "--multi-release", String.valueOf(jdk.feature())));
    argv.add(SandboxSpec.SOURCE + (java.mode() == JavaSpec.Mode.PACKAGED ? "/app.jar" : "/classes"));
    argv.addAll(libs);
    ProcessRunner.Result result = run(argv, input, scratch, outDir);
    String[] lines = result.output().strip().split("\n");
    String last = "";
    for (int i = lines.length - 1; i >= 0 && last.isEmpty(); i--) {
      if (MODULE_LIST.matcher(lines[i].trim()).matches()) {
        last = lines[i].trim();
      }
    }
    if (result.exitCode() != 0 || result.timedOut() || !MODULE_LIST.matcher(last).matches()) {
      throw new MsbuildException(
          "jdeps could not tell which modules the application needs (exit code " + result.exitCode() + ").\n  Command: "
              + String.join(" ", argv) + "\n  Output:\n" + indent(result.output()),
          Setting.JAVA_JLINK_MODULES,
          "list the modules yourself in " + Setting.JAVA_JLINK_MODULES + ", for example java.base,java.logging.");
    }
    List<String> modules = List.of(last.split(","));
    log.info("Modules found by jdeps: " + last);
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
