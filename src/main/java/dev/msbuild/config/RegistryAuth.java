package dev.msbuild.config;

import java.util.Optional;

/**
 * How one image's registry is authenticated, besides what every registry gets (settings.xml
 * servers, the Docker config).
 *
 * @param explicit {@code <auth>} in the pom or its {@code -D} properties
 * @param credHelper a credential helper given in the pom: {@code ecr-login}, a path, or a helper
 *     with the environment it runs with
 * @param authSetting the setting to name when the credentials are refused
 */
public record RegistryAuth(Optional<RegistryCredential> explicit, Optional<CredentialHelper> credHelper, Setting authSetting) {
  public static RegistryAuth none(Setting authSetting) {
    return new RegistryAuth(Optional.empty(), Optional.empty(), authSetting);
  }
}
