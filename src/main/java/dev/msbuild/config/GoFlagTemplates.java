package dev.msbuild.config;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ko's templates in {@code go build} flags and linker flags: {@code {{.Git.FullCommit}}},
 * {@code {{.Git.ShortCommit}}}, {@code {{.Date}}} (RFC 3339, UTC), {@code {{.Timestamp}}} (Unix
 * seconds) and {@code {{.Env.NAME}}}. The date is the build's reproducible time, never now, so the
 * same sources give the same binary.
 *
 * @param commit the git commit the project is at, if it is a git checkout
 * @param time the build's reproducible time
 * @param environment this machine's environment, for {@code {{.Env.NAME}}}
 */
public record GoFlagTemplates(Optional<String> commit, Instant time, Function<String, String> environment) {
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");
  private static final Pattern ENV = Pattern.compile("\\.Env\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final String KNOWN = "{{.Git.FullCommit}}, {{.Git.ShortCommit}}, {{.Date}}, {{.Timestamp}} and {{.Env.NAME}}";

  /** {@code text} with every template replaced; an unknown one, or a commit outside a checkout, is refused. */
  public String expand(String text, Setting setting) {
    Matcher m = TEMPLATE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1), m.group(), setting)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether {@code text} uses a template at all. */
  public static boolean uses(String text) {
    return TEMPLATE.matcher(text).find();
  }

  private String value(String name, String template, Setting setting) {
    switch (name) {
      case ".Git.FullCommit", ".Git.ShortCommit" -> {
        String sha = commit.orElseThrow(() -> new MsbuildException(
            template + " in " + setting.xml() + " names the git commit, but the project is not in a git checkout with a commit.",
            setting,
            "build from a git checkout, or remove " + template + "."));
        return name.equals(".Git.FullCommit") ? sha : sha.substring(0, 7);
      }
      case ".Date" -> {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
      }
      case ".Timestamp" -> {
        return Long.toString(time.getEpochSecond());
      }
      default -> {
        Matcher env = ENV.matcher(name);
        if (env.matches()) {
          String value = environment.apply(env.group(1));
          return value == null ? "" : value;
        }
        throw new MsbuildException(
            "'" + template + "' in " + setting.xml() + " is not a template this plugin knows.",
            setting,
            "use " + KNOWN + ", or write the value itself.");
      }
    }
  }
}
