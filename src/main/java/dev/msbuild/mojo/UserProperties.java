package dev.msbuild.mojo;

import dev.msbuild.config.Setting;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code -D} overrides of the pom configuration: the command line first, then the project's
 * properties, as Jib does. Names come from {@link Setting} only.
 */
final class UserProperties {
  private final Properties commandLine;
  private final Properties project;

  UserProperties(Properties commandLine, Properties project) {
    this.commandLine = commandLine == null ? new Properties() : commandLine;
    this.project = project == null ? new Properties() : project;
  }

  Optional<String> get(Setting setting) {
    String value = commandLine.getProperty(setting.property());
    if (value == null) {
      value = project.getProperty(setting.property());
    }
    return Optional.ofNullable(value);
  }

  String string(Setting setting, String configured) {
    return get(setting).orElse(configured);
  }

  List<String> list(Setting setting, List<String> configured) {
    return get(setting)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(configured == null ? List.of() : configured);
  }

  /** A map given as {@code KEY=value,KEY2=value2}. */
  java.util.Map<String, String> map(Setting setting, java.util.Map<String, String> configured) {
    Optional<String> value = get(setting);
    if (value.isEmpty()) {
      return configured == null ? java.util.Map.of() : configured;
    }
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (String entry : value.get().split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new dev.msbuild.config.MsbuildException(
            "'" + entry.trim() + "' in -D" + setting.property() + " is not KEY=value.",
            setting,
            "write it as -D" + setting.property() + "=KEY=value,OTHER=value.");
      }
      map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
    }
    return map;
  }

  boolean bool(Setting setting, boolean configured) {
    return get(setting).map(v -> v.isEmpty() || Boolean.parseBoolean(v)).orElse(configured);
  }
}
