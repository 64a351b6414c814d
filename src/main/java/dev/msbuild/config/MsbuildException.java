package dev.msbuild.config;

import java.util.Optional;

/**
 * A failure users can act on: what went wrong, which setting it concerns (if any) and how to fix
 * it. Every stage throws this; the Mojos turn it into a Maven failure in one place.
 */
public class MsbuildException extends RuntimeException {
  private final String problem;
  private final Setting setting;
  private final String fix;

  public MsbuildException(String problem, Setting setting, String fix) {
    this(problem, setting, fix, null);
  }

  public MsbuildException(String problem, Setting setting, String fix, Throwable cause) {
    super(format(problem, setting, fix), cause);
    this.problem = problem;
    this.setting = setting;
    this.fix = fix;
  }

  public String problem() {
    return problem;
  }

  public Optional<Setting> setting() {
    return Optional.ofNullable(setting);
  }

  public String fix() {
    return fix;
  }

  private static String format(String problem, Setting setting, String fix) {
    StringBuilder text = new StringBuilder(problem);
    if (setting != null) {
      text.append("\n  Setting: ").append(setting);
    }
    if (fix != null && !fix.isEmpty()) {
      text.append("\n  Fix: ").append(fix);
    }
    return text.toString();
  }
}
