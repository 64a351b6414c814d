package dev.msbuild.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How registries are reached, and the credentials every registry may use.
 *
 * @param allowInsecure whether HTTP and unverified HTTPS are allowed
 * @param sendCredentialsOverHttp whether credentials may go to a registry over plain HTTP
 * @param mirrors registry host to the mirrors tried before it, in order
 * @param servers Maven settings.xml {@code <server>} credentials by server id (decrypted); a
 *     registry's server id is its host, with the port when it has one
 * @param dockerConfigs the files logins are read from, in order, as Jib reads them: podman's and
 *     skopeo's {@code containers/auth.json} (under {@code $XDG_RUNTIME_DIR}, {@code $XDG_CONFIG_HOME}
 *     or {@code ~/.config}), then the Docker config ({@code $DOCKER_CONFIG/config.json}, else
 *     {@code ~/.docker/config.json}); none need exist
 * @param offline Maven runs offline ({@code -o}): no registry is asked anything; images come
 *     from the cache or not at all
 * @param updateTags Maven runs with {@code -U}: a builder image's tag is asked of its registry even
 *     when the builder stage's other inputs are unchanged (otherwise its last resolution decides)
 */
public record RegistryOptions(
    boolean allowInsecure,
    boolean sendCredentialsOverHttp,
    Map<String, List<String>> mirrors,
    ServerCredentials servers,
    List<Path> dockerConfigs,
    boolean offline,
    boolean updateTags) {

  /** Options that read logins from one Docker config file. */
  public RegistryOptions(
      boolean allowInsecure, boolean sendCredentialsOverHttp, Map<String, List<String>> mirrors, ServerCredentials servers,
      Path dockerConfig) {
    this(allowInsecure, sendCredentialsOverHttp, mirrors, servers, List.of(dockerConfig), false, false);
  }

  public RegistryOptions withOffline(boolean isOffline) {
    return new RegistryOptions(allowInsecure, sendCredentialsOverHttp, mirrors, servers, dockerConfigs, isOffline, updateTags);
  }

  public RegistryOptions withUpdateTags(boolean update) {
    return new RegistryOptions(allowInsecure, sendCredentialsOverHttp, mirrors, servers, dockerConfigs, offline, update);
  }

  /** Looks up a settings.xml server's credentials; empty when there is no such server. */
  @FunctionalInterface
  public interface ServerCredentials {
    ServerCredentials NONE = id -> Optional.empty();

    Optional<RegistryCredential> lookup(String serverId);
  }

  /** Options without credentials: mirrors and the insecure switch only (tests, tools). */
  public RegistryOptions(boolean allowInsecure, Map<String, List<String>> mirrors) {
    this(allowInsecure, false, mirrors, ServerCredentials.NONE,
        Path.of(System.getProperty("user.home"), ".docker", "config.json"));
  }

  public RegistryOptions {
    dockerConfigs = List.copyOf(dockerConfigs);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    mirrors.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    mirrors = Map.copyOf(copy);
  }

  /** The mirrors for {@code registry}; Docker Hub is known by two names. */
  public List<String> mirrorsOf(String registry) {
    List<String> found = mirrors.get(registry);
    if (found == null && isDockerHub(registry)) {
      for (String name : List.of(ImageName.DOCKER_HUB, "registry-1.docker.io", "index.docker.io")) {
        found = found != null ? found : mirrors.get(name);
      }
    }
    return found == null ? List.of() : found;
  }

  public static boolean isDockerHub(String registry) {
    return registry.equals(ImageName.DOCKER_HUB)
        || registry.equals("registry-1.docker.io")
        || registry.equals("index.docker.io");
  }

  /**
   * Parses {@code registry=mirror} entries such as {@code docker.io=127.0.0.1:5000}; several
   * mirrors of one registry are tried in the order given.
   */
  public static Map<String, List<String>> parseMirrors(List<String> entries) {
    Map<String, List<String>> mirrors = new LinkedHashMap<>();
    for (String entry : entries) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0 || eq == trimmed.length() - 1) {
        throw new MsbuildException(
            "Registry mirror '" + entry + "' is not of the form registry=mirror.",
            Setting.REGISTRY_MIRRORS,
            "write each entry as registry=mirror, for example docker.io=mirror.example.com or "
                + "-Dmsbuild.registryMirrors=docker.io=127.0.0.1:5000 (comma-separated for several).");
      }
      String registry = trimmed.substring(0, eq).trim();
      for (String mirror : trimmed.substring(eq + 1).split(";")) {
        if (!mirror.isBlank()) {
          mirrors.computeIfAbsent(registry, k -> new ArrayList<>()).add(mirror.trim());
        }
      }
    }
    return mirrors;
  }
}
