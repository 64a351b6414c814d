package dev.msbuild.config;

import java.util.List;
import java.util.Map;

/**
 * The Go builder stage.
 *
 * @param builderImage the image whose toolchain compiles (used when {@code toolchain} is IMAGE)
 * @param toolchain where the {@code go} command comes from
 * @param mainPackage the package to build, relative to the source directory
 * @param outputName the artifact's file name, also its name in the image ({@code /app/<name>})
 * @param flags extra {@code go build} flags
 * @param ldflags the linker flags ({@code -s -w} by default)
 * @param env extra environment for the compiler
 */
public record GoBuild(
    ImageName builderImage,
    Toolchain toolchain,
    String mainPackage,
    String outputName,
    List<String> flags,
    String ldflags,
    Map<String, String> env) {

  public GoBuild {
    flags = List.copyOf(flags);
    env = Map.copyOf(env);
  }

  /** Where the {@code go} command comes from. */
  public enum Toolchain {
    /** The toolchain inside the builder image, run on this machine. */
    IMAGE,
    /** The {@code go} on this machine's PATH. */
    HOST
  }
}
