package dev.msbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.msbuild.oci.ManifestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker config ({@code ~/.docker/config.json}) or podman's {@code containers/auth.json}, read
 * as Docker and Jib read it: for the registry or one of its aliases (Docker Hub has four names),
 * a {@code credHelpers} entry, else the {@code credsStore}, else an {@code auths} entry; keys may
 * carry {@code https://} and a path ({@code https://index.docker.io/v1/}).
 */
final class LoginFile {
  /** Docker Hub's names, as Docker's own client treats them. */
  private static final List<String> DOCKER_HUB = List.of("docker.io", "registry-1.docker.io", "index.docker.io", "registry.hub.docker.com");

  private final Path path;
  private final JsonNode json;

  private LoginFile(Path path, JsonNode json) {
    this.path = path;
    this.json = json;
  }

  /** The file, when it exists and is JSON; an unreadable one is reported by the caller. */
  static Optional<LoginFile> read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    JsonNode json = ManifestCodec.JSON.readTree(Files.readAllBytes(path));
    return json == null || !json.isObject() ? Optional.empty() : Optional.of(new LoginFile(path, json));
  }

  Path path() {
    return path;
  }

  /** Where a login for {@code registry} comes from in this file. */
  sealed interface Source permits Helper, Auth {}

  /** A credential helper to run for {@code server}. */
  record Helper(String helper, String server) implements Source {}

  /** A login written in the file. */
  record Auth(String username, String password, String key) implements Source {}

  Optional<Source> sourceFor(String registry) {
    for (String alias : aliases(registry)) {
      Optional<Map.Entry<String, JsonNode>> helper = entry(json.path("credHelpers"), alias);
      if (helper.isPresent() && !helper.get().getValue().asText("").isBlank()) {
        return Optional.of(new Helper(helper.get().getValue().asText(), helper.get().getKey()));
      }
      if (!json.path("credsStore").asText("").isBlank()) {
        return Optional.of(new Helper(json.path("credsStore").asText(), alias));
      }
      Optional<Map.Entry<String, JsonNode>> auth = entry(json.path("auths"), alias);
      if (auth.isPresent()) {
        JsonNode value = auth.get().getValue();
        String encoded = value.path("auth").asText("");
        if (!encoded.isEmpty()) {
          String decoded;
          try {
            decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            continue;
          }
          int colon = decoded.indexOf(':');
          if (colon > 0) {
            String username = decoded.substring(0, colon);
            String password = decoded.substring(colon + 1);
            String identityToken = value.path("identitytoken").asText("");
            // Azure's way: a fixed user with no password, and the real login in identitytoken.
            if (!identityToken.isEmpty() && password.isEmpty()) {
              return Optional.of(new Auth(RegistryHttp.IDENTITY_TOKEN_USER, identityToken, auth.get().getKey()));
            }
            return Optional.of(new Auth(username, password, auth.get().getKey()));
          }
        } else if (value.hasNonNull("username") && value.hasNonNull("password")) {
          return Optional.of(new Auth(value.get("username").asText(), value.get("password").asText(), auth.get().getKey()));
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> aliases(String registry) {
    if (!DOCKER_HUB.contains(registry)) {
      return List.of(registry);
    }
    List<String> names = new ArrayList<>(List.of(registry));
    DOCKER_HUB.stream().filter(n -> !n.equals(registry)).forEach(names::add);
    return names;
  }

  /** The first key naming the registry: exactly, with https://, or either with a path after it. */
  private static Optional<Map.Entry<String, JsonNode>> entry(JsonNode map, String registry) {
    List<java.util.function.Predicate<String>> matches = List.of(
        registry::equals, ("https://" + registry)::equals, k -> k.startsWith(registry + "/"),
        k -> k.startsWith("https://" + registry + "/"));
    for (var match : matches) {
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (match.test(e.getKey())) {
          return Optional.of(e);
        }
      }
    }
    return Optional.empty();
  }
}
