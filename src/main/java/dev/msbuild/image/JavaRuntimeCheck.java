package dev.msbuild.image;

import dev.msbuild.config.JavaSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.util.List;
import java.util.Optional;

/**
 * Checks, at build time, that the final image can start its Java: a jlink runtime's loader and
 * libraries are in the base (a glibc runtime on a musl or empty base is the classic mistake), or
 * the base has a java on its PATH. Without this the image would fail only when the container starts.
 */
public final class JavaRuntimeCheck {
  private JavaRuntimeCheck() {}

  /**
   * @param base the base's files (with the loader's configuration kept, if it is to count)
   * @param baseName the base as configured, or "scratch"
   * @param interpreter the loader the runtime's bin/java names; empty when static
   * @param neededLibraries libraries the runtime needs from outside itself
   * @param builder the builder image, for the message
   */
  public static void checkRuntime(
      ImageFiles base, String baseName, Optional<String> interpreter, List<String> neededLibraries, String builder) {
    String libc = interpreter.map(DynamicLinking::libcOf).orElse("static");
    if (interpreter.isPresent() && !DynamicLinking.hasLoader(base, interpreter.get())) {
      throw new MsbuildException(
          "The Java runtime jlink made from " + builder + " is linked against " + libc + " (its bin/java needs the loader "
              + interpreter.get() + "), but the base " + baseName + " " + DynamicLinking.describe(base) + ". The image would "
              + "fail when the container starts.",
          Setting.FROM_IMAGE,
          fix(libc));
    }
    List<String> missing = DynamicLinking.missingLibraries(base, neededLibraries,
        DynamicLinking.searchPath(base, List.of(), JavaSpec.RUNTIME_HOME + "/bin", ""));
    if (!missing.isEmpty()) {
      throw new MsbuildException(
          "The Java runtime jlink made from " + builder + " needs " + String.join(", ", missing) + ", which the base "
              + baseName + " does not have in " + String.join(", ", DynamicLinking.DEFAULT_DIRECTORIES.subList(0, 4)) + ", the "
              + "multiarch directories or those of its ld.so.conf. The image would fail when the container starts.",
          Setting.FROM_IMAGE,
          "use a base that has them (for " + libc + ": " + DynamicLinking.exampleBase(libc) + "), or add them with "
              + Setting.COPIES + ".");
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

  private static String fix(String libc) {
    return switch (libc) {
      case "glibc" -> "use a glibc base such as " + DynamicLinking.exampleBase(libc) + "; or, for an alpine (musl) base, a musl JDK builder image "
          + "such as eclipse-temurin:25-jdk-alpine in " + Setting.BUILDER_IMAGE + ".";
      case "musl" -> "use a musl base such as alpine:3.20; or, for a glibc base, a glibc JDK builder image such as "
          + "eclipse-temurin:25-jdk in " + Setting.BUILDER_IMAGE + ".";
      default -> "use a base with the loader the runtime names.";
    };
  }
}
