package dev.msbuild.image;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.msbuild.config.BuildLog;
import java.util.function.Consumer;

/** Routes Jib's log events to the build log. */
public final class JibLog {
  private JibLog() {}

  public static Consumer<LogEvent> to(BuildLog log) {
    return event -> {
      switch (event.getLevel()) {
        case ERROR, WARN -> log.warn(event.getMessage());
        case LIFECYCLE -> log.info(event.getMessage());
        default -> log.debug(event.getMessage());
      }
    };
  }
}
