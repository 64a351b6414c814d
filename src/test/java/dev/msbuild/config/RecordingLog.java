package dev.msbuild.config;

import java.util.ArrayList;
import java.util.List;

/** A build log that keeps what it is told: info lines as they are, warnings prefixed "WARN ". */
public final class RecordingLog implements BuildLog {
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    lines.add(message);
  }

  @Override
  public synchronized void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {}

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
