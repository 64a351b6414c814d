package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import java.util.ArrayList;
import java.util.List;

/** A build log that keeps every line, whatever its level, for tests to read. */
final class RecordingLog implements BuildLog {
  final List<String> lines = new ArrayList<>();

  @Override
  public void info(String message) {
    lines.add(message);
  }

  @Override
  public void warn(String message) {
    lines.add(message);
  }

  @Override
  public void debug(String message) {
    lines.add(message);
  }
}
