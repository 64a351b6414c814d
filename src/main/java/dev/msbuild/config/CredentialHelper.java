package dev.msbuild.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * A Docker credential helper, as {@code <credHelper>} names it: a suffix ({@code ecr-login} runs
 * {@code docker-credential-ecr-login} from the PATH) or a path to the executable, and the
 * environment it runs with (on top of this process's).
 */
public record CredentialHelper(String helper, Map<String, String> environment) {
  public CredentialHelper {
    environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
  }

  public static CredentialHelper named(String helper) {
    return new CredentialHelper(helper, Map.of());
  }

  public boolean isPath() {
    return helper.contains("/");
  }

  /** The executable's name for a suffix ({@code docker-credential-<suffix>}), or the path as given. */
  public String executable() {
    return isPath() || helper.startsWith("docker-credential-") ? helper : "docker-credential-" + helper;
  }
}
