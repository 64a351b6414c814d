package dev.msbuild.config;

import java.util.Optional;

/**
 * How one image's registry is authenticated, besides what every registry gets (settings.xml
 * servers, the Docker config).
 *
 * @param explicit {@code <auth>} in the pom or its {@code -D} properties
 * @param credHelper a credential helper named in the pom: {@code ecr-login} or
 *     {@code docker-credential-ecr-login}
 * @param authSetting the setting to name when the credentials are refused
 */
public record RegistryAuth(Optional<RegistryCredential> explicit, Optional<String> credHelper, Setting authSetting) {
  public static RegistryAuth none(Setting authSetting) {
    return new RegistryAuth(Optional.empty(), Optional.empty(), authSetting);
  }
}
