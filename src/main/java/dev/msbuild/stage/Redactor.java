package dev.msbuild.stage;

import dev.msbuild.config.BuilderSpec;
import java.util.Comparator;
import java.util.List;

/** Masks secret values in whatever the build prints, before it reaches the log or an error. */
final class Redactor {
  static final String MASK = "****";

  private final List<String> values;

  Redactor(List<BuilderSpec.Secret> secrets) {
    // Longest first, so a secret that contains another is masked whole.
    this.values =
        secrets.stream().map(BuilderSpec.Secret::value).filter(v -> !v.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  String redact(String text) {
    String result = text;
    for (String value : values) {
      result = result.replace(value, MASK);
    }
    return result;
  }
}
