package dev.msbuild.stage;

import dev.msbuild.config.BuilderSpec;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks secret values in whatever the build prints, before it reaches the log or an error.
 *
 * <p>The build's output is read line by line, so a secret of several lines (a PEM key, a JSON
 * credentials file) never shows whole in one line: each of its lines is masked on its own as well,
 * without the whitespace around it (the build's output is masked line by line, its error tail as a
 * whole). Lines shorter than {@link #MIN_LINE} characters are not: an
 * empty line, a lone brace or {@code "},"} would mask half of any output and hide next to
 * nothing. A secret is always masked whole, whatever its length.
 */
final class Redactor {
  static final String MASK = "****";

  /**
   * The shortest line of a multi-line secret that is masked on its own. A PEM body line has 64
   * characters; what falls below 8 (the last few base64 characters, a bracket) gives little away.
   */
  static final int MIN_LINE = 8;

  private final List<String> values;

  Redactor(List<BuilderSpec.Secret> secrets) {
    Set<String> all = new LinkedHashSet<>();
    for (BuilderSpec.Secret secret : secrets) {
      String value = secret.value();
      // The whitespace around a value is no secret, and a file's final line break must stay in
      // the output, or the next line would join the mask.
      String stripped = value.strip();
      if (value.isEmpty()) {
        continue;
      }
      all.add(stripped.isEmpty() ? value : stripped);
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        for (String line : value.split("\r\n|\r|\n")) {
          String trimmed = line.strip();
          if (trimmed.length() >= MIN_LINE) {
            all.add(trimmed);
          }
        }
      }
    }
    // Longest first, so a secret that contains another (or one of its lines) is masked whole.
    this.values = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  String redact(String text) {
    String result = text;
    for (String value : values) {
      result = result.replace(value, MASK);
    }
    return result;
  }
}
