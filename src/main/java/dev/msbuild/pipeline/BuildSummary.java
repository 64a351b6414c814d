package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Times each step of a build and closes the log with a table of them. */
final class BuildSummary {
  private record Step(String name, double seconds, String detail) {}

  private final List<Step> steps = new ArrayList<>();
  private final long start = System.nanoTime();
  private final boolean multiPlatform;

  /** @param multiPlatform whether steps run once per platform (they are then named with it) */
  BuildSummary(boolean multiPlatform) {
    this.multiPlatform = multiPlatform;
  }

  boolean multiPlatform() {
    return multiPlatform;
  }

  /** Runs {@code work} as the step {@code name}; {@code detail} describes its result in the summary. */
  <T> T time(String name, Supplier<T> work, java.util.function.Function<T, String> detail) {
    long begin = System.nanoTime();
    T result = work.get();
    Step step = new Step(name, (System.nanoTime() - begin) / 1e9, detail.apply(result));
    synchronized (steps) {
      steps.add(step);
    }
    return result;
  }

  void log(BuildLog log) {
    log.info("Summary:");
    for (Step step : steps) {
      log.info(String.format("  %-" + width() + "s %6.1f s  %s", step.name(), step.seconds(), step.detail()));
    }
    log.info(String.format("  %-" + width() + "s %6.1f s", "total", (System.nanoTime() - start) / 1e9));
  }

  private int width() {
    return Math.max(14, steps.stream().mapToInt(s -> s.name().length()).max().orElse(0));
  }

  static String bytes(long count) {
    if (count < 1000) {
      return count + " B";
    }
    if (count < 1_000_000) {
      return String.format("%.1f kB", count / 1e3);
    }
    return String.format("%.2f MB", count / 1e6);
  }
}
