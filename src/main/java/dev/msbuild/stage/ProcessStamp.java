package dev.msbuild.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process as a later build can recognise it: its pid and its start time (clock ticks after
 * boot, field 22 of {@code /proc/<pid>/stat}). Files named with a stamp belong to that process
 * while it runs; once it is gone, or its pid was given to another process (another start time),
 * they are abandoned.
 *
 * @param pid the process id
 * @param startTicks when it started; 0 where /proc cannot tell, and then only the pid is compared
 */
record ProcessStamp(long pid, long startTicks) {
  /** How a stamp appears in a file name: {@code <pid>-<startTicks>}. */
  static final Pattern TEXT = Pattern.compile("(\\d{1,10})-(\\d{1,20})");

  private static final ProcessStamp CURRENT =
      new ProcessStamp(ProcessHandle.current().pid(), startTicks(ProcessHandle.current().pid()).orElse(0L));

  /** This JVM. */
  static ProcessStamp current() {
    return CURRENT;
  }

  /** The process with this pid, if there is one. */
  static Optional<ProcessStamp> of(long pid) {
    return startTicks(pid).map(ticks -> new ProcessStamp(pid, ticks));
  }

  /** {@code <pid>-<startTicks>}. */
  String text() {
    return pid + "-" + startTicks;
  }

  /** The stamp at the start of {@code text}, if it starts with one. */
  static Optional<ProcessStamp> parse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProcessStamp(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the process this stamp names still runs: its pid is alive, not a zombie, and started when it did. */
  boolean running() {
    if (equals(CURRENT)) {
      return true;
    }
    if (!Files.isRegularFile(Path.of("/proc/self/stat"))) {
      // No procfs (not Linux): only the pid can be asked about.
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    Optional<String[]> fields = statFields(pid);
    if (fields.isEmpty()) {
      return false;
    }
    if (fields.get()[0].equals("Z") || fields.get()[0].equals("X")) {
      return false;
    }
    return startTicks == 0 || startTicks == parseTicks(fields.get()).orElse(-1L);
  }

  private static Optional<Long> startTicks(long pid) {
    return statFields(pid).flatMap(ProcessStamp::parseTicks);
  }

  private static Optional<Long> parseTicks(String[] fields) {
    try {
      return fields.length > 19 ? Optional.of(Long.parseLong(fields[19])) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses): state first. */
  private static Optional<String[]> statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')');
      return end < 0 ? Optional.empty() : Optional.of(stat.substring(end + 1).trim().split("\\s+"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
