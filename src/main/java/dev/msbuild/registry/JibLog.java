package dev.msbuild.registry;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.msbuild.config.BuildLog;
import java.util.function.Consumer;

/** Routes the log events of Jib's credential retrievers to the build log. */
final class JibLog {
  private JibLog() {}

  static Consumer<LogEvent> to(BuildLog log) {
    return event -> {
      switch (event.getLevel()) {
        case ERROR, WARN -> log.warn(event.getMessage());
        default -> log.debug(event.getMessage());
      }
    };
  }
}
