package dev.msbuild.registry;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a registry wants to be logged in to, from its {@code WWW-Authenticate} header: a bearer
 * token from a realm (Docker Hub, GHCR, most registries) or HTTP basic auth (htpasswd).
 */
record Challenge(String scheme, String realm, String service, String scope) {
  private static final Pattern PARAM = Pattern.compile("([A-Za-z]+)\\s*=\\s*\"([^\"]*)\"");

  static Optional<Challenge> of(HttpHeaders headers) {
    for (String value : headers.allValues("WWW-Authenticate")) {
      Optional<Challenge> parsed = parse(value);
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  static Optional<Challenge> parse(String header) {
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    if (!scheme.equals("bearer") && !scheme.equals("basic")) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(space < 0 ? "" : trimmed.substring(space + 1));
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    if (scheme.equals("bearer") && params.getOrDefault("realm", "").isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Challenge(scheme, params.getOrDefault("realm", ""), params.getOrDefault("service", ""),
        params.getOrDefault("scope", "")));
  }

  boolean bearer() {
    return scheme.equals("bearer");
  }
}
