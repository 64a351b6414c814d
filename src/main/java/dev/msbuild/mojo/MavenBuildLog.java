package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** The build log on Maven's. */
final class MavenBuildLog implements BuildLog {
  private final Log log;

  MavenBuildLog(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(message);
  }

  @Override
  public void warn(String message) {
    log.warn(message);
  }

  @Override
  public void debug(String message) {
    log.debug(message);
  }
}
