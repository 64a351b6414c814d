package dev.msbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.msbuild.oci.ManifestCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Docker credential helper the way Docker does: {@code docker-credential-<name> get}, the
 * server on stdin, {@code {"Username": ..., "Secret": ...}} on stdout. A helper that has no
 * login for the server says so on stdout or stderr; that is "none", not a failure.
 */
final class CredentialHelperProcess {
  /** A helper that prompts or hangs must not hold the build. */
  private static final long TIMEOUT_SECONDS = 60;

  private CredentialHelperProcess() {}

  /** The helper could not be run, or it failed in a way that is not "no login for this server". */
  static final class HelperException extends Exception {
    HelperException(String message) {
      super(message);
    }
  }

  /** The login, or empty when the helper has none for {@code server}. */
  static Optional<Login> get(Path helper, String server, Map<String, String> environment) throws HelperException {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(helper.toString(), "get");
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new HelperException("it could not be started: " + e.getMessage());
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(server.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = process.getInputStream().readNBytes(1 << 20);
      byte[] err = process.getErrorStream().readNBytes(64 << 10);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new HelperException("it did not answer within " + TIMEOUT_SECONDS + " s");
      }
      String output = new String(out, StandardCharsets.UTF_8).trim();
      String errors = new String(err, StandardCharsets.UTF_8).trim();
      if (output.isEmpty() || output.contains("credentials not found")) {
        if (process.exitValue() != 0 && !errors.isEmpty() && !errors.contains("credentials not found")
            && !output.contains("credentials not found")) {
          throw new HelperException("it exited with " + process.exitValue() + ": " + firstLine(errors));
        }
        return Optional.empty();
      }
      JsonNode json;
      try {
        json = ManifestCodec.JSON.readTree(out);
      } catch (IOException e) {
        throw new HelperException("it printed something that is not JSON: " + firstLine(output.replaceAll("[A-Za-z0-9+/=]{16,}", "…")));
      }
      String username = json == null ? "" : json.path("Username").asText("");
      String secret = json == null ? "" : json.path("Secret").asText("");
      return username.isEmpty() || secret.isEmpty() ? Optional.empty() : Optional.of(new Login(username, secret));
    } catch (IOException e) {
      throw new HelperException("talking to it failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new HelperException("interrupted");
    }
  }

  record Login(String username, String secret) {}

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
