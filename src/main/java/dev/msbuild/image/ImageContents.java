package dev.msbuild.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build put into an image, and from what, as its SBOM and provenance tell it: the programs
 * and jars the build's own layers hold (with the host files they were copied from), the base's
 * package database, and the builder image the artifacts were made in.
 *
 * @param programs the builder stage's programs, by their path in the image
 * @param jars the Java application's classpath jars, with their Maven coordinates
 * @param runtimeModules a jlink runtime's modules
 * @param baseFiles the base's package database and os-release, by path, as read from its layers
 * @param builderImage the builder image, {@code name@sha256:...}; empty when none ran (or this machine's go did)
 */
public record ImageContents(
    List<Program> programs, List<Jar> jars, List<String> runtimeModules, Map<String, byte[]> baseFiles,
    Optional<String> builderImage) {

  public static final String APK_DB = "/lib/apk/db/installed";
  public static final String DPKG_STATUS = "/var/lib/dpkg/status";
  /** os-release's two places, the first that exists wins. */
  public static final List<String> OS_RELEASE = List.of("/etc/os-release", "/usr/lib/os-release");

  /** The base's files that say which packages it has: Alpine's and Debian's databases, and os-release. */
  public static final List<String> PACKAGE_FILES = List.of(APK_DB, DPKG_STATUS, OS_RELEASE.get(0), OS_RELEASE.get(1));

  public static final ImageContents NONE = new ImageContents(List.of(), List.of(), List.of(), Map.of(), Optional.empty());

  public ImageContents {
    programs = List.copyOf(programs);
    jars = List.copyOf(jars);
    runtimeModules = List.copyOf(runtimeModules);
    baseFiles = Map.copyOf(baseFiles);
  }

  public static boolean isPackageFile(String path) {
    return PACKAGE_FILES.contains(path);
  }

  /** {@link #PACKAGE_FILES} as the base has them. */
  public static Map<String, byte[]> packageFiles(ImageFiles base) {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    for (String path : PACKAGE_FILES) {
      base.content(path).ifPresent(bytes -> files.put(path, bytes));
    }
    return files;
  }

  public record Program(String imagePath, Path file) {}

  public record Jar(String groupId, String artifactId, String version, String imagePath, Path file) {}
}
