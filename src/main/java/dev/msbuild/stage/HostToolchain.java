package dev.msbuild.stage;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.util.Map;

/** The {@code go} on this machine's PATH. */
final class HostToolchain {
  private HostToolchain() {}

  static GoToolchain find() {
    return Sandboxes.onPath("go")
        .map(go -> new GoToolchain(go, Map.of(), "the host's " + go, "host"))
        .orElseThrow(() -> new MsbuildException(
        "No go command on this machine's PATH.",
        Setting.BUILDER_ISOLATION,
        "install Go, or set " + Setting.BUILDER_ISOLATION + " to auto to compile with the builder image's toolchain."));
  }
}
