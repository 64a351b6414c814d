package dev.msbuild.registry;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.CredentialHelper;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the login for one registry, in Jib's order: the explicit {@code <auth>}, the
 * {@code <credHelper>} (by name, path, or with its environment), the settings.xml
 * {@code <server>} whose id is the registry host, the login files (podman's and skopeo's
 * containers/auth.json, then the Docker config with its auths, credHelpers and credsStore), and
 * last the helpers well known for the registry (gcr.io, Amazon ECR). The log says which source
 * answered, never the password.
 */
public final class RegistryCredentials {
  /** The order, for messages that tell users where a login can come from. */
  public static final String ORDER =
      "<auth> in the pom, a <credHelper>, a settings.xml <server> whose id is the registry host, the Docker config "
          + "($DOCKER_CONFIG/config.json or ~/.docker/config.json, or podman's containers/auth.json), or the "
          + "registry's well-known helper (docker-credential-gcr, docker-credential-ecr-login)";

  private RegistryCredentials() {}

  public static Optional<RegistryCredential> find(String registry, RegistryAuth auth, RegistryOptions options, BuildLog log) {
    Optional<RegistryCredential> found = auth.explicit();
    if (found.isEmpty() && auth.credHelper().isPresent()) {
      found = helper(registry, auth, log);
    }
    if (found.isEmpty()) {
      for (String id : serverIds(registry)) {
        found = options.servers().lookup(id);
        if (found.isPresent()) {
          break;
        }
      }
    }
    for (int i = 0; found.isEmpty() && i < options.dockerConfigs().size(); i++) {
      found = dockerConfig(registry, options.dockerConfigs().get(i), log);
    }
    if (found.isEmpty()) {
      found = wellKnownHelper(registry, log);
    }
    found.ifPresentOrElse(
        c -> log.info("Using credentials for " + registry + " from " + c.source()),
        () -> log.debug("No credentials for " + registry + "; trying anonymously"));
    return found;
  }

  /**
   * The message for a registry that refused access: names the setting that gives credentials,
   * or the plain-HTTP switch when credentials were withheld because the registry has no TLS.
   *
   * @param action what was refused, e.g. "push 127.0.0.1:5000/app:1"
   * @param forbidden a 403 (the login worked but may not do this) rather than a 401
   */
  public static MsbuildException refused(
      String registry, String action, Optional<RegistryCredential> credential, RegistryAuth auth,
      RegistryOptions options, boolean forbidden, Throwable cause) {
    Setting setting = auth.authSetting();
    if (forbidden) {
      return new MsbuildException(
          "Registry " + registry + " denied " + (credential.map(c -> c.username()).orElse("anonymous access"))
              + " the right to " + action + " (403 forbidden).",
          setting,
          "use a login that may " + action.split(" ")[0] + " there (" + ORDER + "), or a repository you have access to.",
          cause);
    }
    if (credential.isPresent()) {
      return new MsbuildException(
          "Registry " + registry + " refused the credentials of " + credential.get().username() + " from "
              + credential.get().source() + " to " + action + " (401 unauthorized).",
          setting,
          "check the username and password in " + credential.get().source() + ".",
          cause);
    }
    return new MsbuildException(
        "Registry " + registry + " needs a login to " + action + " and none was found.",
        setting,
        "give one, in this order of precedence: " + ORDER + ".",
        cause);
  }

  /** The message for credentials withheld because the registry speaks plain HTTP. */
  public static MsbuildException notSentOverHttp(
      String registry, String action, Optional<RegistryCredential> credential, Throwable cause) {
    return new MsbuildException(
        "Registry " + registry + " speaks plain HTTP, so the credentials"
            + credential.map(c -> " from " + c.source()).orElse("") + " were not sent and it would not let this build "
            + action + ".",
        Setting.SEND_CREDENTIALS_OVER_HTTP,
        "serve the registry over HTTPS, or set " + Setting.SEND_CREDENTIALS_OVER_HTTP
            + " to true if you trust the network between this machine and the registry.",
        cause);
  }

  /** settings.xml server ids a registry may be known by: itself, and Docker Hub's other names. */
  private static List<String> serverIds(String registry) {
    List<String> ids = new ArrayList<>(List.of(registry));
    if (dev.msbuild.config.RegistryOptions.isDockerHub(registry)) {
      ids.addAll(List.of("docker.io", "registry-1.docker.io", "index.docker.io"));
    }
    return ids;
  }

  private static Optional<RegistryCredential> dockerConfig(String registry, Path config, BuildLog log) {
    Optional<LoginFile> file;
    try {
      file = LoginFile.read(config);
    } catch (java.io.IOException e) {
      log.warn("The login file " + config + " could not be read (" + e.getMessage() + "); its logins are not used");
      return Optional.empty();
    }
    Optional<LoginFile.Source> source = file.flatMap(f -> f.sourceFor(registry));
    if (source.isEmpty()) {
      return Optional.empty();
    }
    if (source.get() instanceof LoginFile.Auth auth) {
      return Optional.of(new RegistryCredential(auth.username(), auth.password(), "the login file " + config));
    }
    LoginFile.Helper helper = (LoginFile.Helper) source.get();
    String executable = "docker-credential-" + helper.helper();
    Optional<Path> path = onPath(executable);
    if (path.isEmpty()) {
      log.warn("The login file " + config + " names the credential helper " + executable + " for " + registry
          + ", which is not installed (not on the PATH)");
      return Optional.empty();
    }
    try {
      return CredentialHelperProcess.get(path.get(), helper.server(), Map.of())
          .map(l -> new RegistryCredential(l.username(), l.secret(), "the credential helper " + executable + " (from " + config + ")"));
    } catch (CredentialHelperProcess.HelperException e) {
      log.warn("The credential helper " + executable + " (from " + config + ") gave no login for " + registry + ": " + e.getMessage());
      return Optional.empty();
    }
  }


  private static Optional<RegistryCredential> helper(String registry, RegistryAuth auth, BuildLog log) {
    CredentialHelper helper = auth.credHelper().get();
    String executable = helper.executable();
    Setting setting = auth.authSetting() == Setting.FROM_AUTH ? Setting.FROM_CRED_HELPER : Setting.TO_CRED_HELPER;
    Optional<Path> path = helper.isPath() ? Optional.of(Path.of(executable)).filter(Files::isExecutable) : onPath(executable);
    if (path.isEmpty()) {
      throw new MsbuildException(
          "The credential helper " + executable + (helper.isPath() ? " is not an executable file." : " is not installed (it is not on the PATH)."),
          setting,
          "install " + executable + ", or name a helper that is installed, or log in another way: " + ORDER + ".");
    }
    try {
      return CredentialHelperProcess.get(path.get(), registry, helper.environment())
          .map(c -> new RegistryCredential(c.username(), c.secret(), "the credential helper " + executable));
    } catch (CredentialHelperProcess.HelperException e) {
      throw new MsbuildException(
          "The credential helper " + executable + " failed for " + registry + ": " + e.getMessage(),
          setting,
          "log in with the helper first (see its documentation), or use another source: " + ORDER + ".",
          e);
    }
  }

  /** gcr.io's and Amazon ECR's helpers, when installed: Jib tries them last, and so do we. */
  private static Optional<RegistryCredential> wellKnownHelper(String registry, BuildLog log) {
    String host = registry.replaceFirst(":[0-9]+$", "");
    String executable = host.endsWith("gcr.io") || host.endsWith(".pkg.dev") ? "docker-credential-gcr"
        : host.endsWith("amazonaws.com") ? "docker-credential-ecr-login" : null;
    Optional<Path> path = executable == null ? Optional.empty() : onPath(executable);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    try {
      return CredentialHelperProcess.get(path.get(), registry, Map.of())
          .map(c -> new RegistryCredential(c.username(), c.secret(), "the credential helper " + executable));
    } catch (CredentialHelperProcess.HelperException e) {
      log.warn("The credential helper " + executable + " could not give a login for " + registry + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Path> onPath(String executable) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, executable);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
