package dev.msbuild.dockerfile;

import java.util.Map;

/**
 * ARG and ENV values in an instruction's words, as the Dockerfile reference defines them:
 * {@code $name}, {@code ${name}}, {@code ${name:-word}} (word when unset or empty),
 * {@code ${name-word}} (when unset), {@code ${name:+word}} (word when set and not empty),
 * {@code ${name+word}} (when set); the escape character before {@code $} keeps it literal. An
 * unknown name is empty, as Docker makes it.
 */
public final class Substitution {
  private Substitution() {}

  /** {@code text} with every reference to {@code values} replaced; {@code escape} is the Dockerfile's escape character. */
  public static String expand(String text, Map<String, String> values, char escape, int line) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == escape && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new DockerfileParser.SyntaxError(line, "'" + text.substring(i) + "' has no closing }");
        }
        out.append(braced(text.substring(i + 2, close), values, escape, line));
        i = close + 1;
      } else if (c == '$' && i + 1 < text.length() && isNameStart(text.charAt(i + 1))) {
        int end = i + 1;
        while (end < text.length() && isNamePart(text.charAt(end))) {
          end++;
        }
        out.append(values.getOrDefault(text.substring(i + 1, end), ""));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String braced(String inner, Map<String, String> values, char escape, int line) {
    int name = 0;
    while (name < inner.length() && isNamePart(inner.charAt(name))) {
      name++;
    }
    String key = inner.substring(0, name);
    if (key.isEmpty() || !isNameStart(key.charAt(0))) {
      throw new DockerfileParser.SyntaxError(line, "'${" + inner + "}' is not a variable reference");
    }
    String rest = inner.substring(name);
    String value = values.get(key);
    if (rest.isEmpty()) {
      return value == null ? "" : value;
    }
    boolean colon = rest.startsWith(":");
    String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
    String word = expand(rest.substring(colon ? 2 : 1), values, escape, line);
    boolean set = value != null && !(colon && value.isEmpty());
    return switch (op) {
      case "-" -> set ? value : word;
      case "+" -> set ? word : "";
      default -> throw new DockerfileParser.SyntaxError(line, "'${" + inner + "}': only :-, -, :+ and + are supported after a name");
    };
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
