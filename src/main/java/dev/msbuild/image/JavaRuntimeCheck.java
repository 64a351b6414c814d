package dev.msbuild.image;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, at build time, that the final image can start its Java: a jlink runtime's loader and
 * libraries are in the base (a glibc runtime on a musl or empty base is the classic mistake), or
 * the base has a java on its PATH. Without this the image would fail only when the container starts.
 */
public final class JavaRuntimeCheck {
  /** Where a base keeps its shared libraries, as the loaders search them by default. */
  private static final List<String> LIBRARY_DIRECTORIES = List.of(
      "/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib",
      "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu");

  private JavaRuntimeCheck() {}

  /**
   * @param base the base's files
   * @param baseName the base as configured, or "scratch"
   * @param interpreter the loader the runtime's bin/java names; empty when static
   * @param neededLibraries libraries the runtime needs from outside itself
   * @param builder the builder image, for the message
   */
  public static void checkRuntime(
      ImageFiles base, String baseName, Optional<String> interpreter, List<String> neededLibraries, String builder) {
    String libc = interpreter.map(JavaRuntimeCheck::libcOf).orElse("static");
    if (interpreter.isPresent() && !base.exists(interpreter.get())) {
      throw new MsbuildException(
          "The Java runtime jlink made from " + builder + " is linked against " + libc + " (its bin/java needs the loader "
              + interpreter.get() + "), but the base " + baseName + " " + describe(base) + ". The image would fail when the "
              + "container starts.",
          Setting.FROM_IMAGE,
          fix(libc));
    }
    List<String> missing = new ArrayList<>();
    for (String library : neededLibraries) {
      if (LIBRARY_DIRECTORIES.stream().noneMatch(dir -> base.exists(dir + "/" + library))) {
        missing.add(library);
      }
    }
    if (!missing.isEmpty()) {
      throw new MsbuildException(
          "The Java runtime jlink made from " + builder + " needs " + String.join(", ", missing) + ", which the base "
              + baseName + " does not have in " + String.join(", ", LIBRARY_DIRECTORIES.subList(0, 4)) + " or the "
              + "multiarch directories. The image would fail when the container starts.",
          Setting.FROM_IMAGE,
          "use a base that has them (for " + libc + ": " + example(libc) + "), or add them with " + Setting.COPIES + ".");
    }
  }

  /** Without jlink the base runs the application: it must have a java on its PATH. */
  public static void checkBaseJava(ImageFiles base, String baseName, Optional<String> basePath) {
    String path = basePath.filter(p -> !p.isBlank()).orElse("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && base.resolve(dir + "/java").filter(k -> k == ImageFiles.Kind.FILE).isPresent()) {
        return;
      }
    }
    throw new MsbuildException(
        "The base " + baseName + " has no java on its PATH (" + path + "), and without a jlink runtime the image runs the "
            + "application with the base's java. The image would fail when the container starts.",
        Setting.FROM_IMAGE,
        "use a JRE image such as eclipse-temurin:25-jre, or turn on " + Setting.JAVA_JLINK
            + " with a JDK builder image to put a runtime of the application's own modules on a small base.");
  }

  /** glibc or musl, from a loader's name. */
  public static String libcOf(String loader) {
    return loader.contains("ld-musl") ? "musl" : loader.contains("ld-linux") || loader.contains("ld64.so") ? "glibc" : "an unknown C library";
  }

  /** What C library a base has, from the loaders it holds. */
  static String describe(ImageFiles base) {
    List<String> loaders = new ArrayList<>();
    loaders.addAll(base.named("/lib", "ld-musl-"));
    loaders.addAll(base.named("/lib", "ld-linux"));
    loaders.addAll(base.named("/lib64", "ld-linux"));
    if (loaders.isEmpty()) {
      return "has no C library loader at all (scratch, or a static-only base)";
    }
    String kinds = loaders.stream().map(JavaRuntimeCheck::libcOf).distinct().reduce((a, b) -> a + " and " + b).orElse("");
    return "has " + kinds + " only (" + String.join(", ", loaders) + ")";
  }

  private static String fix(String libc) {
    return switch (libc) {
      case "glibc" -> "use a glibc base such as " + example(libc) + "; or, for an alpine (musl) base, a musl JDK builder image "
          + "such as eclipse-temurin:25-jdk-alpine in " + Setting.BUILDER_IMAGE + ".";
      case "musl" -> "use a musl base such as alpine:3.20; or, for a glibc base, a glibc JDK builder image such as "
          + "eclipse-temurin:25-jdk in " + Setting.BUILDER_IMAGE + ".";
      default -> "use a base with the loader the runtime names.";
    };
  }

  private static String example(String libc) {
    return libc.equals("musl") ? "alpine:3.20" : "gcr.io/distroless/base-debian12 or debian:12-slim";
  }
}
