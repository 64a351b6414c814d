package dev.msbuild.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The argument forms instructions share: words that quotes and backslashes hold together
 * ({@code COPY a "b c" /d/}), and {@code key=value} pairs ({@code ENV A=1 B="two words"}, or the
 * old {@code ENV A one value}), each value substituted with the stage's variables.
 */
public final class Arguments {
  private Arguments() {}

  /** Words, quotes removed; variables in each substituted with {@code values}. */
  public static List<String> words(String text, Map<String, String> values, int line) {
    List<String> words = new ArrayList<>();
    for (String raw : split(text)) {
      words.add(unquote(Substitution.expand(raw, values, '\\', line)));
    }
    return words;
  }

  /** {@code ENV}/{@code LABEL} pairs, in order. */
  public static Map<String, String> pairs(String keyword, String text, Map<String, String> values, int line) {
    Map<String, String> pairs = new LinkedHashMap<>();
    List<String> raw = split(text);
    if (raw.isEmpty()) {
      throw new DockerfileParser.SyntaxError(line, keyword + " names nothing: write " + keyword + " KEY=value");
    }
    if (!raw.get(0).contains("=")) {
      // The old form: ENV KEY the rest of the line.
      String rest = text.strip().substring(raw.get(0).length()).strip();
      if (rest.isEmpty()) {
        throw new DockerfileParser.SyntaxError(line, keyword + " " + raw.get(0) + " has no value: write " + keyword + " "
            + raw.get(0) + "=value");
      }
      pairs.put(raw.get(0), unquote(Substitution.expand(rest, values, '\\', line)));
      return pairs;
    }
    for (String word : raw) {
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw new DockerfileParser.SyntaxError(line, keyword + " " + word + ": expected KEY=value");
      }
      String key = unquote(word.substring(0, eq));
      pairs.put(Substitution.expand(key, values, '\\', line), unquote(Substitution.expand(word.substring(eq + 1), values, '\\', line)));
    }
    return pairs;
  }

  /** Whitespace-separated words, a quoted part or a backslash-escaped character kept in its word (quotes still there). */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        word.append(c);
        if (c == '\\' && quote == '"' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
        word.append(c);
      } else if (c == '\\' && i + 1 < text.length()) {
        inWord = true;
        word.append(c).append(text.charAt(++i));
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        inWord = true;
        word.append(c);
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Removes quotes around and inside a word, and the backslashes that escape outside single quotes. */
  static String unquote(String word) {
    StringBuilder out = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (c == '\\' && quote != '\'' && i + 1 < word.length()) {
        out.append(word.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
