package dev.msbuild.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore}: which paths of the build context COPY and ADD do not see. As Docker
 * reads it: one pattern per line, {@code #} comments, Go's filepath.Match syntax plus {@code **}
 * for any number of directories, {@code !} for an exception; the last pattern that matches a path
 * or one of its parent directories decides.
 */
public final class DockerIgnore {
  private record Rule(Pattern pattern, boolean exception) {}

  public static final DockerIgnore NONE = new DockerIgnore(List.of());

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      if (exception) {
        line = line.substring(1).strip();
      }
      String clean = clean(line);
      if (clean.isEmpty()) {
        continue;
      }
      rules.add(new Rule(Pattern.compile(regex(clean)), exception));
    }
    return new DockerIgnore(rules);
  }

  /** Whether {@code path} (relative to the context, with '/') is left out. */
  public boolean excludes(String path) {
    String clean = clean(path);
    boolean excluded = false;
    for (Rule rule : rules) {
      if (matchesOrParent(rule.pattern(), clean)) {
        excluded = !rule.exception();
      }
    }
    return excluded;
  }

  /**
   * Whether a directory's walk may skip it: it is excluded and no exception could bring back
   * something inside it.
   */
  public boolean skipsDirectory(String path) {
    return excludes(path) && rules.stream().noneMatch(Rule::exception);
  }

  private static boolean matchesOrParent(Pattern pattern, String path) {
    if (pattern.matcher(path).matches()) {
      return true;
    }
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      if (pattern.matcher(path.substring(0, slash)).matches()) {
        return true;
      }
    }
    return false;
  }

  /** As Go's filepath.Clean, relative: no leading '/', no '.', '..' folded. */
  private static String clean(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.replace('\\', '/').split("/+")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  private static String regex(String pattern) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
            i++;
            re.append("(?:.*/)?"); // **/ : any number of directories, none included
          } else {
            re.append(".*");
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = pattern.indexOf(']', i + 1);
        if (end < 0) {
          re.append("\\[");
        } else {
          String set = pattern.substring(i + 1, end);
          re.append('[').append(set.startsWith("^") ? "^" + set.substring(1).replace("\\", "\\\\") : set.replace("\\", "\\\\"))
              .append(']');
          i = end;
        }
      } else if (c == '\\' && i + 1 < pattern.length()) {
        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
