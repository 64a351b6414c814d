package dev.msbuild.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dockerfile reference's grammar, as BuildKit reads it: parser directives at the top
 * ({@code # escape=`}; {@code syntax} and {@code check} are read and ignored), comment lines
 * (also inside a continued instruction), line continuations with the escape character, blank
 * continuation lines, {@code --flags}, exec form (a JSON array) or shell form, and
 * here-documents ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}) after RUN, COPY and ADD.
 * Nothing is substituted here: ARG and ENV values are applied by whoever runs the stages.
 */
public final class DockerfileParser {
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*");
  private static final Pattern KEYWORD = Pattern.compile("([A-Za-z]+)(?:\\s+(.*))?", Pattern.DOTALL);
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Instructions whose arguments may be here-documents. */
  private static final List<String> HEREDOC_KEYWORDS = List.of("RUN", "COPY", "ADD");
  /** Instructions with flags before their arguments. */
  private static final List<String> FLAGGED = List.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK");

  /** A Dockerfile that cannot be read: the line and what is wrong. */
  public static final class SyntaxError extends RuntimeException {
    private final int line;

    public SyntaxError(int line, String message) {
      super(message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  private DockerfileParser() {}

  /** The instructions of {@code text}, in order. */
  public static List<Instruction> parse(String text) {
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    char escape = '\\';
    int i = 0;
    // Directives: only at the very top, before any blank line, comment or instruction.
    for (; i < lines.length; i++) {
      Matcher m = DIRECTIVE.matcher(lines[i].strip());
      if (!m.matches()) {
        break;
      }
      if (m.group(1).equalsIgnoreCase("escape")) {
        String value = m.group(2);
        if (!value.equals("\\") && !value.equals("`")) {
          throw new SyntaxError(i + 1, "the escape directive must be \\ or `, not " + value);
        }
        escape = value.charAt(0);
      }
    }
    List<Instruction> instructions = new ArrayList<>();
    while (i < lines.length) {
      String first = lines[i];
      if (first.isBlank() || first.strip().startsWith("#")) {
        i++;
        continue;
      }
      int start = i + 1;
      StringBuilder logical = new StringBuilder();
      String current = first;
      while (true) {
        String trimmed = stripTrailing(current);
        if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == escape) {
          logical.append(trimmed, 0, trimmed.length() - 1);
          i++;
          // Comment lines and blank lines inside a continued instruction are skipped.
          while (i < lines.length && (lines[i].strip().startsWith("#") || lines[i].isBlank())) {
            i++;
          }
          if (i >= lines.length) {
            break;
          }
          current = lines[i];
        } else {
          logical.append(current);
          i++;
          break;
        }
      }
      Matcher k = KEYWORD.matcher(logical.toString().strip());
      if (!k.matches()) {
        throw new SyntaxError(start, "'" + logical.toString().strip() + "' does not start with an instruction");
      }
      String keyword = k.group(1).toUpperCase(Locale.ROOT);
      String rest = k.group(2) == null ? "" : k.group(2).strip();
      List<Instruction.Flag> flags = new ArrayList<>();
      if (FLAGGED.contains(keyword)) {
        while (rest.startsWith("--")) {
          int end = flagEnd(rest);
          String flag = rest.substring(2, end);
          int eq = flag.indexOf('=');
          flags.add(eq < 0 ? new Instruction.Flag(flag, "") : new Instruction.Flag(flag.substring(0, eq), unquote(flag.substring(eq + 1))));
          rest = rest.substring(end).strip();
        }
      }
      List<Instruction.Heredoc> heredocs = new ArrayList<>();
      if (HEREDOC_KEYWORDS.contains(keyword)) {
        Matcher h = HEREDOC.matcher(rest);
        while (h.find()) {
          boolean strip = !h.group(1).isEmpty();
          String name = h.group(3);
          StringBuilder content = new StringBuilder();
          boolean closed = false;
          for (; i < lines.length; i++) {
            String body = strip ? lines[i].replaceFirst("^\t+", "") : lines[i];
            if (body.equals(name)) {
              closed = true;
              i++;
              break;
            }
            content.append(body).append('\n');
          }
          if (!closed) {
            throw new SyntaxError(start, keyword + ": the here-document <<" + name + " is not closed by a line " + name);
          }
          heredocs.add(new Instruction.Heredoc(name, content.toString(), h.group(2).isEmpty()));
        }
      }
      instructions.add(new Instruction(start, keyword, flags, rest, exec(rest), heredocs));
    }
    return instructions;
  }

  /** The arguments as a JSON array of strings, when they are one. */
  public static Optional<List<String>> exec(String rest) {
    if (!rest.startsWith("[")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(rest);
      if (!node.isArray()) {
        return Optional.empty();
      }
      List<String> words = new ArrayList<>();
      for (JsonNode word : node) {
        if (!word.isTextual()) {
          return Optional.empty();
        }
        words.add(word.asText());
      }
      return Optional.of(words);
    } catch (JsonProcessingException e) {
      return Optional.empty(); // shell form, as Docker reads it: CMD [“./app”] runs /bin/sh -c
    }
  }

  private static int flagEnd(String rest) {
    boolean quoted = false;
    char quote = 0;
    for (int j = 0; j < rest.length(); j++) {
      char c = rest.charAt(j);
      if (quoted) {
        if (c == quote) {
          quoted = false;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        quote = c;
      } else if (Character.isWhitespace(c)) {
        return j;
      }
    }
    return rest.length();
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'') && value.charAt(value.length() - 1) == value.charAt(0)) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static String stripTrailing(String line) {
    return line.stripTrailing();
  }

}
