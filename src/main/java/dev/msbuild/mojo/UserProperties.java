package dev.msbuild.mojo;

import dev.msbuild.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code -D} overrides of the pom configuration, in Jib's order: the command line, then the JVM's
 * system properties (so {@code MAVEN_OPTS=-Dmsbuild.skip=true} counts), then the project's
 * properties. Names come from {@link Setting} only.
 *
 * <p>A list or map given as one property is split on commas: {@code a,b} is two items; an item
 * quoted whole, {@code "-tags=a,b"} (or {@code '-tags=a,b'}), is one, without its quotes, and
 * so is {@code -tags=a\,b}.
 */
final class UserProperties {
  private final List<Properties> sources;

  UserProperties(Properties commandLine, Properties project) {
    this(commandLine, null, project);
  }

  UserProperties(Properties commandLine, Properties system, Properties project) {
    this.sources = java.util.stream.Stream.of(commandLine, system, project)
        .map(p -> p == null ? new Properties() : p)
        .toList();
  }

  Optional<String> get(Setting setting) {
    for (Properties source : sources) {
      String value = source.getProperty(setting.property());
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  String string(Setting setting, String configured) {
    return get(setting).orElse(configured);
  }

  List<String> list(Setting setting, List<String> configured) {
    return get(setting)
        .map(v -> split(v).stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(configured == null ? List.of() : configured);
  }

  /** A map given as {@code KEY=value,KEY2=value2}. */
  java.util.Map<String, String> map(Setting setting, java.util.Map<String, String> configured) {
    Optional<String> value = get(setting);
    if (value.isEmpty()) {
      return configured == null ? java.util.Map.of() : configured;
    }
    java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
    for (String entry : split(value.get())) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new dev.msbuild.config.MsbuildException(
            "'" + entry.trim() + "' in -D" + setting.property() + " is not KEY=value.",
            setting,
            "write it as -D" + setting.property() + "=KEY=value,OTHER=value; an entry with a comma in its value is quoted "
                + "whole, \"KEY=a,b\", or has the comma escaped, KEY=a\\,b.");
      }
      map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1));
    }
    return map;
  }

  /**
   * Splits on commas, except in an item quoted whole ({@code "a,b"} or {@code 'a,b'}, quotes
   * dropped) and where a backslash escapes the comma ({@code a\\,b}). Quotes anywhere else, as
   * in {@code it's}, are just characters.
   */
  static List<String> split(String text) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    int i = 0;
    while (i <= text.length()) {
      if (item.toString().isBlank() && i < text.length() && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
        int close = text.indexOf(text.charAt(i), i + 1);
        int next = close < 0 ? -1 : skipBlanks(text, close + 1);
        if (close > 0 && (next == text.length() || text.charAt(next) == ',')) {
          items.add(text.substring(i + 1, close));
          item.setLength(0);
          i = next + 1;
          continue;
        }
      }
      if (i == text.length()) {
        items.add(item.toString());
        break;
      }
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == ',' || text.charAt(i + 1) == '\\')) {
        item.append(text.charAt(i + 1));
        i += 2;
      } else if (c == ',') {
        items.add(item.toString());
        item.setLength(0);
        i++;
      } else {
        item.append(c);
        i++;
      }
    }
    return items;
  }

  private static int skipBlanks(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  boolean bool(Setting setting, boolean configured) {
    return get(setting).map(v -> v.isEmpty() || Boolean.parseBoolean(v)).orElse(configured);
  }
}
