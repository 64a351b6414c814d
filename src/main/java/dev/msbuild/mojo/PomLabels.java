package dev.msbuild.mojo;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OCI annotation labels a pom already answers ({@code org.opencontainers.image.*}), and the
 * image's creation time from {@code project.build.outputTimestamp}, the property Maven's own
 * reproducible builds use.
 */
final class PomLabels {
  static final String PREFIX = "org.opencontainers.image.";

  /** What the pom says, Maven-free. */
  record Project(
      String name,
      String artifactId,
      String description,
      String version,
      String url,
      String scmUrl,
      List<String> licenses,
      String outputTimestamp,
      Path basedir) {}

  private PomLabels() {}

  static Map<String, String> labels(Project project, Optional<Instant> created) {
    Map<String, String> labels = new LinkedHashMap<>();
    put(labels, "title", project.name() != null && !project.name().isBlank() ? project.name() : project.artifactId());
    put(labels, "description", project.description());
    put(labels, "version", project.version());
    put(labels, "url", project.url());
    put(labels, "source", project.scmUrl());
    GitRevision.of(project.basedir()).ifPresent(sha -> put(labels, "revision", sha));
    if (project.licenses() != null && !project.licenses().isEmpty()) {
      put(labels, "licenses", String.join(" OR ", project.licenses()));
    }
    created.ifPresent(time -> put(labels, "created", time.toString()));
    return labels;
  }

  /**
   * {@code project.build.outputTimestamp} as Maven reads it: ISO-8601 with an offset, or seconds
   * since the epoch; a single character (Maven's way to say "not set") or nothing means unset.
   */
  static Optional<Instant> outputTimestamp(String text) {
    if (text == null || text.trim().length() <= 1) {
      return Optional.empty();
    }
    String value = text.trim();
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
      }
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new MsbuildException(
          "project.build.outputTimestamp '" + value + "' is not a time.",
          Setting.OUTPUT_TIMESTAMP,
          "write it as ISO-8601 with an offset, for example 2026-01-01T00:00:00Z, or as seconds since 1970.");
    }
  }

  /**
   * {@code SOURCE_DATE_EPOCH}, the reproducible-builds convention of other build tools: seconds
   * since 1970. {@code project.build.outputTimestamp} wins when both are set.
   */
  static Optional<Instant> sourceDateEpoch(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    if (!text.trim().matches("\\d{1,12}")) {
      throw new MsbuildException(
          "The environment variable SOURCE_DATE_EPOCH '" + text.trim() + "' is not a number of seconds since 1970.",
          Setting.OUTPUT_TIMESTAMP,
          "set SOURCE_DATE_EPOCH to seconds since 1970 (git log -1 --format=%ct gives the last commit's), or unset it; "
              + Setting.OUTPUT_TIMESTAMP + " takes precedence when set.");
    }
    return Optional.of(Instant.ofEpochSecond(Long.parseLong(text.trim())));
  }

  private static void put(Map<String, String> labels, String key, String value) {
    if (value != null && !value.isBlank()) {
      labels.put(PREFIX + key, value.trim());
    }
  }
}
