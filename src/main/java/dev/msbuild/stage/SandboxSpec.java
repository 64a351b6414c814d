package dev.msbuild.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One build inside a builder image's root filesystem.
 *
 * @param root the unpacked image (shared, never written)
 * @param scratch a private directory the sandbox may use (overlay layers), deleted afterwards
 * @param source mounted read-only at /src, the working directory
 * @param out mounted writable at /out
 * @param cache mounted writable at /cache
 * @param secrets mounted read-only at /run/secrets, if any
 * @param caFile this machine's CA bundle, mounted read-only at {@link HostPassThrough#CA_FILE}, if passed through
 * @param caDir this machine's CA directory, mounted read-only at {@link HostPassThrough#CA_DIR}, if passed through
 * @param env the build's whole environment (image Env, build env, secrets)
 * @param home HOME inside the sandbox, a fresh writable directory
 * @param network whether the build shares this machine's network
 * @param argv what runs, resolved with the image's PATH
 */
record SandboxSpec(
    Path root,
    Path scratch,
    Path source,
    Path out,
    Path cache,
    Optional<Path> secrets,
    Optional<Path> caFile,
    Optional<Path> caDir,
    Map<String, String> env,
    String home,
    boolean network,
    List<String> argv) {

  static final String SOURCE = "/src";
  static final String OUT = "/out";
  static final String CACHE = "/cache";
  static final String SECRETS = "/run/secrets";
}
