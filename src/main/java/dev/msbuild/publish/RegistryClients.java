package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.image.JibLog;
import dev.msbuild.image.RegistryCredentials;
import java.io.IOException;
import java.util.Optional;

/** Jib registry clients with push rights on a target repository. */
final class RegistryClients {
  private RegistryClients() {}

  static RegistryClient forPush(ImageName target, Optional<RegistryCredential> credential, RegistryOptions options)
      throws IOException, RegistryException {
    FailoverHttpClient http =
        new FailoverHttpClient(options.allowInsecure(), options.sendCredentialsOverHttp(), JibLog.to(BuildLog.NONE));
    RegistryClient.Factory factory =
        RegistryClient.factory(EventHandlers.NONE, target.registry(), target.repository(), http);
    credential.map(RegistryCredentials::toJib).ifPresent(factory::setCredential);
    RegistryClient client = factory.newRegistryClient();
    if (!client.doPushBearerAuth() && credential.isPresent()) {
      client.configureBasicAuth();
    }
    return client;
  }
}
