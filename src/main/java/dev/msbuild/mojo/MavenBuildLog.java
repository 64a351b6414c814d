package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import org.apache.maven.plugin.logging.Log;

/**
 * The build log on Maven's. Under {@code mvn -T}, modules build at once and their lines
 * interleave: each line then starts with the module's name.
 */
final class MavenBuildLog implements BuildLog {
  private final Log log;
  private final String prefix;

  MavenBuildLog(Log log, String prefix) {
    this.log = log;
    this.prefix = prefix;
  }

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
