package dev.msbuild.stage;

import java.nio.file.Path;
import java.util.Map;

/**
 * A {@code go} command ready to run on this machine.
 *
 * @param go the executable
 * @param env what it needs in its environment (GOROOT for an image's toolchain)
 * @param description for the log: where it came from
 * @param cacheKey what the Go caches are keyed by (the builder image digest, or "host")
 */
public record GoToolchain(Path go, Map<String, String> env, String description, String cacheKey) {}
