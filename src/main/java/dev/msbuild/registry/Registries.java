package dev.msbuild.registry;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registries one build talks to: one HTTP client per registry and login, whose scheme, tokens
 * and connections every pull and push of the build share, and each registry's login looked up
 * (and logged) once.
 */
public final class Registries {
  private final RegistryOptions options;
  private final RetryPolicy retry;
  private final BuildLog log;
  private final ConcurrentHashMap<String, RegistryHttp> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Optional<RegistryCredential>> logins = new ConcurrentHashMap<>();

  public Registries(RegistryOptions options, BuildLog log) {
    this(options, RetryPolicy.standard(), log);
  }

  public Registries(RegistryOptions options, RetryPolicy retry, BuildLog log) {
    this.options = options;
    this.retry = retry;
    this.log = log;
  }

  public RegistryOptions options() {
    return options;
  }

  /** The login for {@code registry} under {@code auth}, found once per build (see {@link RegistryCredentials}). */
  public Optional<RegistryCredential> login(String registry, RegistryAuth auth) {
    String key = registry + "\n" + auth.explicit().map(c -> c.username() + "\n" + c.source()).orElse("") + "\n"
        + auth.credHelper().map(h -> h.helper() + h.environment()).orElse("");
    return logins.computeIfAbsent(key, k -> RegistryCredentials.find(registry, auth, options, log));
  }

  /** A repository of {@code registry}, reached with {@code credential} (none: anonymously). */
  public Repository repository(String registry, String repository, Optional<RegistryCredential> credential) {
    String key = registry + "\n" + credential.map(c -> c.username() + "\n" + c.source() + "\n" + c.password().hashCode()).orElse("");
    RegistryHttp http = clients.computeIfAbsent(key, k -> new RegistryHttp(registry, options, credential, retry, log));
    return new Repository(http, repository);
  }
}
