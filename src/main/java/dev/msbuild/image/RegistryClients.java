package dev.msbuild.image;

import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import java.io.IOException;
import java.util.Optional;

/** Jib registry clients for one repository, logged in (bearer or basic) when there is a credential. */
public final class RegistryClients {
  private RegistryClients() {}

  /**
   * @param push whether the client needs push rights (pull rights otherwise)
   */
  public static RegistryClient connect(
      ImageName image, Optional<RegistryCredential> credential, RegistryOptions options, boolean push, BuildLog log)
      throws IOException, RegistryException {
    FailoverHttpClient http =
        new FailoverHttpClient(options.allowInsecure(), options.sendCredentialsOverHttp(), JibLog.to(log));
    RegistryClient.Factory factory = RegistryClient.factory(EventHandlers.NONE, image.registry(), image.repository(), http);
    credential.map(RegistryCredentials::toJib).ifPresent(factory::setCredential);
    RegistryClient client = factory.newRegistryClient();
    boolean bearer = push ? client.doPushBearerAuth() : client.doPullBearerAuth();
    if (!bearer && credential.isPresent()) {
      client.configureBasicAuth();
    }
    return client;
  }
}
