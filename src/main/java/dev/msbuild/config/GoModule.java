package dev.msbuild.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the builder stage needs to know of a {@code go.mod}: whether there is one, its go line. */
public final class GoModule {
  /** The Go version used when a project has no go.mod to say which. */
  public static final String DEFAULT_GO_VERSION = "1.26";

  private static final Pattern GO_LINE = Pattern.compile("(?m)^\\s*go\\s+([0-9]+\\.[0-9]+(?:\\.[0-9]+)?)\\s*(?://.*)?$");

  private GoModule() {}

  /** The {@code go} line of {@code goMod}, if the file exists and has one. */
  public static Optional<String> goVersion(Path goMod) {
    if (!Files.isRegularFile(goMod)) {
      return Optional.empty();
    }
    try {
      Matcher m = GO_LINE.matcher(Files.readString(goMod));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A go.mod's {@code go} line, to say where a default builder image came from.
   *
   * @param number the line's number, from 1
   * @param text the line as written, trimmed
   * @param version the Go version on it
   */
  public record GoLine(int number, String text, String version) {}

  /** The {@code go} line of {@code goMod} with its number, if the file exists and has one. */
  public static Optional<GoLine> goLine(Path goMod) {
    if (!Files.isRegularFile(goMod)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(goMod);
      Matcher m = GO_LINE.matcher(text);
      if (!m.find()) {
        return Optional.empty();
      }
      // The pattern's leading \\s* may take blank lines before it: count from the version.
      int at = m.start(1);
      int number = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
      int end = text.indexOf('\n', at);
      String line = text.substring(text.lastIndexOf('\n', at) + 1, end < 0 ? text.length() : end).trim();
      return Optional.of(new GoLine(number, line, m.group(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Finds the go.mod that governs {@code directory}, looking upwards as {@code go} does. */
  public static Optional<Path> find(Path directory) {
    for (Path dir = directory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("go.mod");
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The default builder image: the golang alpine image of the go line's minor release. The go
   * line is a minimum, so {@code go 1.26.3} takes {@code golang:1.26-alpine}, the newest patch.
   */
  public static String defaultBuilderImage(Optional<String> goVersion) {
    String version = goVersion.orElse(DEFAULT_GO_VERSION);
    String[] parts = version.split("\\.");
    return "golang:" + parts[0] + "." + parts[1] + "-alpine";
  }
}
