package dev.msbuild.mojo;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.RegistryCredential;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** Maven settings.xml {@code <server>} entries, passwords decrypted when encrypted. */
final class SettingsServers {
  private final Settings settings;
  private final SettingsDecrypter decrypter;

  SettingsServers(Settings settings, SettingsDecrypter decrypter) {
    this.settings = settings;
    this.decrypter = decrypter;
  }

  Optional<String> password(String serverId) {
    return server(serverId).map(Server::getPassword);
  }

  /** A registry login: the server's username and password, when it has both. */
  Optional<RegistryCredential> credential(String serverId) {
    return server(serverId)
        .filter(s -> s.getUsername() != null && s.getPassword() != null)
        .map(s -> new RegistryCredential(s.getUsername(), s.getPassword(), "settings.xml <server> " + serverId));
  }

  /** The server, its password decrypted (only this server is decrypted: others may be broken). */
  private Optional<Server> server(String serverId) {
    if (settings == null) {
      return Optional.empty();
    }
    Server server = settings.getServer(serverId);
    if (server == null) {
      return Optional.empty();
    }
    if (decrypter != null) {
      var result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      if (!result.getProblems().isEmpty()) {
        throw new MsbuildException(
            "The password of settings.xml <server> " + serverId + " could not be decrypted: "
                + result.getProblems().get(0).getMessage(),
            null,
            "check the master password in ~/.m2/settings-security.xml (or -Dsettings.security), "
                + "or encrypt the password again with mvn --encrypt-password.");
      }
      if (!result.getServers().isEmpty()) {
        server = result.getServers().get(0);
      }
    }
    return Optional.of(server);
  }
}
