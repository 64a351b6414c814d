package dev.msbuild.stage;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Command lines as the log shows them: quoted for a POSIX shell, so they can be copied and run. */
final class ShellWords {
  /** What a shell takes literally without quotes. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellWords() {}

  /** One word, in single quotes when it needs any ({@code '} written as {@code '\''}). */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** {@code NAME=value ... argv}, every value and word quoted as needed. */
  static String line(Map<String, String> env, List<String> argv) {
    String vars = env.entrySet().stream().map(e -> e.getKey() + "=" + quote(e.getValue())).collect(Collectors.joining(" "));
    String words = argv.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    return vars.isEmpty() ? words : vars + " " + words;
  }
}
