package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;

/** Tells apart the lines of platforms built side by side: {@code [linux/arm64] Built ...}. */
record PrefixedLog(BuildLog log, String prefix) implements BuildLog {
  @Override
  public void info(String message) {
    log.info(prefix + message);
  }

  @Override
  public void warn(String message) {
    log.warn(prefix + message);
  }

  @Override
  public void debug(String message) {
    log.debug(prefix + message);
  }
}
