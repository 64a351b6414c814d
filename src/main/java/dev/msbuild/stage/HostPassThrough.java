package dev.msbuild.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build takes from this machine, in every isolation: the proxy settings, Go's module
 * settings and the CA bundle, so a module download behind an intercepting proxy works in the
 * sandbox as it does directly. In the sandbox the CA file and directory are mounted read-only at
 * {@link #CA_FILE} and {@link #CA_DIR}, and the variables point there.
 *
 * @param env the variables to set
 * @param caFile this machine's {@code SSL_CERT_FILE}, to mount at {@link #CA_FILE}
 * @param caDir this machine's {@code SSL_CERT_DIR} (its first entry), to mount at {@link #CA_DIR}
 */
record HostPassThrough(Map<String, String> env, Optional<Path> caFile, Optional<Path> caDir) {
  /** Host variables that a compile may legitimately need. */
  static final List<String> VARIABLES =
      List.of(
          "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "ALL_PROXY", "all_proxy",
          "GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GONOSUMCHECK", "GOSUMDB", "GOINSECURE", "GOFLAGS",
          "GOAUTH", "SSL_CERT_FILE", "SSL_CERT_DIR");
  static final String CA_ROOT = "/run/msbuild-host-ca";
  static final String CA_FILE = CA_ROOT + "/cert.pem";
  static final String CA_DIR = CA_ROOT + "/certs";

  HostPassThrough {
    env = Map.copyOf(env);
  }

  /** For a build on this machine: the variables as they are, and TMPDIR. */
  static Map<String, String> direct(Map<String, String> host) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : VARIABLES) {
      if (host.containsKey(name)) {
        env.put(name, host.get(name));
      }
    }
    if (host.containsKey("TMPDIR")) {
      env.put("TMPDIR", host.get("TMPDIR"));
    }
    return env;
  }

  /** For a sandbox: the variables, with the CA paths moved to where they are mounted. */
  static HostPassThrough sandbox(Map<String, String> host) {
    Map<String, String> env = new LinkedHashMap<>(direct(host));
    env.remove("TMPDIR"); // a path of this machine; the sandbox has its own /tmp
    Optional<Path> file = Optional.ofNullable(env.remove("SSL_CERT_FILE")).filter(f -> !f.isBlank())
        .map(Path::of).filter(Files::isRegularFile);
    // SSL_CERT_DIR may list several directories; the first that exists is mounted.
    Optional<Path> dir = Optional.ofNullable(env.remove("SSL_CERT_DIR")).stream()
        .flatMap(d -> List.of(d.split(":")).stream()).filter(d -> !d.isBlank()).map(Path::of).filter(Files::isDirectory)
        .findFirst();
    file.ifPresent(f -> env.put("SSL_CERT_FILE", CA_FILE));
    dir.ifPresent(d -> env.put("SSL_CERT_DIR", CA_DIR));
    return new HostPassThrough(env, file, dir);
  }
}
