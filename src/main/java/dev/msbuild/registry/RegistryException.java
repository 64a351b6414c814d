package dev.msbuild.registry;

/**
 * A registry did not do what was asked: refused, lacked the content, failed for good after the
 * retries, or answered with something that is not the distribution API. {@link RegistryErrors}
 * turns it into a message that names the setting and the fix, in one place.
 */
public final class RegistryException extends RuntimeException {
  /** What kind of failure, which decides the message and the fix. */
  public enum Kind {
    /** 401: no login, or the login was refused. */
    UNAUTHORIZED,
    /** 403: logged in, but not allowed to do this. */
    FORBIDDEN,
    /** 404: no such repository, tag, manifest or blob. */
    NOT_FOUND,
    /** The answer is not the distribution API: an HTML page, a wrong content type, no /v2/. */
    NOT_A_REGISTRY,
    /** 5xx, 429, resets and timeouts that outlasted every retry. */
    UNAVAILABLE,
    /** HTTPS could not be verified and insecure registries are not allowed. */
    NO_VERIFIED_TLS,
    /** The registry wants a login over plain HTTP, and sending credentials over HTTP is off. */
    CREDENTIALS_WITHHELD,
    /** Content did not match the digest that named it. */
    DIGEST_MISMATCH,
    /** A manifest that cannot be read, or a status the API does not define for the request. */
    INVALID,
    /** Content larger than the bound set for it. */
    TOO_LARGE
  }

  private final Kind kind;
  private final String registry;
  private final String action;
  private final int status;
  private final String detail;

  /**
   * @param registry the registry host (with port)
   * @param action what was being done, for messages: {@code pull library/alpine:3.20}
   * @param status the last HTTP status seen, 0 when there was none
   * @param detail what the registry said or what went wrong, one line
   */
  public RegistryException(Kind kind, String registry, String action, int status, String detail, Throwable cause) {
    super(registry + ": " + action + ": " + detail + (status > 0 ? " (HTTP " + status + ")" : ""), cause);
    this.kind = kind;
    this.registry = registry;
    this.action = action;
    this.status = status;
    this.detail = detail;
  }

  public RegistryException(Kind kind, String registry, String action, int status, String detail) {
    this(kind, registry, action, status, detail, null);
  }

  public Kind kind() {
    return kind;
  }

  public String registry() {
    return registry;
  }

  public String action() {
    return action;
  }

  public int status() {
    return status;
  }

  public String detail() {
    return detail;
  }
}
