package dev.msbuild.config;

/**
 * A registry username and password. {@link #toString()} never shows the password, so a credential
 * that ends up in a message or a log shows only where it came from.
 *
 * @param source where it was found, for the log: {@code <to><auth>}, {@code settings.xml <server> id}, ...
 */
public record RegistryCredential(String username, String password, String source) {
  @Override
  public String toString() {
    return "credential of " + username + " from " + source;
  }
}
