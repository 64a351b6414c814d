package dev.msbuild.stage;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@code go} on this machine's PATH. */
final class HostToolchain {
  private HostToolchain() {}

  static GoToolchain find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path go = Path.of(dir.isEmpty() ? "." : dir, "go");
      if (Files.isRegularFile(go) && Files.isExecutable(go)) {
        return new GoToolchain(go, Map.of(), "the host's " + go, "host");
      }
    }
    throw new MsbuildException(
        "No go command on this machine's PATH.",
        Setting.BUILDER_ISOLATION,
        "install Go, or set " + Setting.BUILDER_ISOLATION + " to auto to compile with the builder image's toolchain.");
  }
}
