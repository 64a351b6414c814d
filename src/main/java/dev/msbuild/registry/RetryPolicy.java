package dev.msbuild.registry;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a registry request that failed in a way that may pass: a 5xx, a
 * 429 or 408, a reset or a timeout. Exponential backoff with jitter, a server's Retry-After
 * honoured up to a cap, a bounded number of tries.
 *
 * @param tries attempts in all, the first included
 * @param firstDelay the wait before the second try; it doubles for each further one
 * @param maxDelay the longest wait between two tries, Retry-After included
 */
public record RetryPolicy(int tries, Duration firstDelay, Duration maxDelay) {
  /**
   * Five tries, waits of about 0.5, 1, 2 and 4 s: rides out a registry restart or a burst of 503s
   * without making a real outage take minutes to report. The system properties
   * {@code msbuild.registry.tries} and {@code msbuild.registry.retryDelayMillis} tune it.
   */
  public static RetryPolicy standard() {
    int tries = Integer.getInteger("msbuild.registry.tries", 5);
    long first = Long.getLong("msbuild.registry.retryDelayMillis", 500);
    return new RetryPolicy(Math.max(1, tries), Duration.ofMillis(Math.max(0, first)), Duration.ofSeconds(30));
  }

  public static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /** The wait before try number {@code next} (2 for the first retry), or the server's Retry-After. */
  public Duration delayBefore(int next, Optional<HttpHeaders> headers) {
    Optional<Duration> asked = headers.flatMap(h -> h.firstValue("Retry-After")).flatMap(RetryPolicy::retryAfter);
    if (asked.isPresent()) {
      return min(asked.get(), maxDelay);
    }
    long base = firstDelay.toMillis() << Math.min(20, Math.max(0, next - 2));
    long jitter = base <= 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4 + 1);
    return min(Duration.ofMillis(base + jitter), maxDelay);
  }

  /** Retry-After as seconds or as an HTTP date. */
  static Optional<Duration> retryAfter(String value) {
    String v = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
