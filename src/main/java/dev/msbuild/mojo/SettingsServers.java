package dev.msbuild.mojo;

import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** Passwords of Maven settings.xml {@code <server>} entries, decrypted when encrypted. */
final class SettingsServers {
  private final Settings settings;
  private final SettingsDecrypter decrypter;

  SettingsServers(Settings settings, SettingsDecrypter decrypter) {
    this.settings = settings;
    this.decrypter = decrypter;
  }

  Optional<String> password(String serverId) {
    if (settings == null) {
      return Optional.empty();
    }
    Server server = settings.getServer(serverId);
    if (server == null) {
      return Optional.empty();
    }
    if (decrypter != null) {
      var result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      if (!result.getServers().isEmpty()) {
        server = result.getServers().get(0);
      }
    }
    return Optional.ofNullable(server.getPassword());
  }
}
