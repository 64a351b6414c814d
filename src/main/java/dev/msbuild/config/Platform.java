package dev.msbuild.config;

import java.util.Locale;

/** A target platform such as {@code linux/amd64} or {@code linux/arm/v7}. */
public record Platform(String os, String architecture, String variant) {
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);

  public static Platform parse(String text, Setting setting) {
    String[] parts = text == null ? new String[0] : text.trim().split("/");
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new MsbuildException(
          "'" + text + "' is not a platform.",
          setting,
          "write it as os/architecture[/variant], for example linux/amd64 or linux/arm64.");
    }
    return new Platform(
        parts[0].toLowerCase(Locale.ROOT),
        parts[1].toLowerCase(Locale.ROOT),
        parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : null);
  }

  /** The platform of the machine running the build, in Go and OCI terms. */
  public static Platform host() {
    String arch = System.getProperty("os.arch", "");
    String goArch =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          case "x86", "i386", "i686" -> "386";
          case "ppc64le" -> "ppc64le";
          case "s390x" -> "s390x";
          case "riscv64" -> "riscv64";
          default -> arch;
        };
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux" : "other";
    return new Platform(os, goArch, null);
  }

  /** A file-name-safe form: {@code linux-arm-v7}. */
  public String directoryName() {
    return os + "-" + architecture + (variant == null ? "" : "-" + variant);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
