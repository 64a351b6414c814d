package dev.msbuild.image;

import com.google.cloud.tools.jib.api.LogEvent;
import dev.msbuild.config.BuildLog;
import java.util.function.Consumer;

/** Routes Jib's log events to the build log. */
public final class JibLog {
  private JibLog() {}

  static boolean isInsecureFailover(String message) {
    return message != null
        && (message.startsWith("Cannot verify server at ") || message.startsWith("Failed to connect to "))
        && message.contains("Attempting again");
  }

  public static Consumer<LogEvent> to(BuildLog log) {
    return event -> {
      String message = event.getMessage();
      if (isInsecureFailover(message)) {
        // Expected once <allowInsecureRegistries> lets Jib try HTTPS, then HTTP, per request.
        log.debug(message);
        return;
      }
      switch (event.getLevel()) {
        case ERROR, WARN -> log.warn(event.getMessage());
        case LIFECYCLE -> log.info(event.getMessage());
        default -> log.debug(event.getMessage());
      }
    };
  }
}
