package dev.msbuild.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as users write it ({@code alpine:3.20}, {@code 127.0.0.1:5000/app/x@sha256:…}),
 * normalised the way Docker does: no registry means Docker Hub, one path component means
 * {@code library/}, no tag or digest means {@code latest}.
 */
public record ImageName(String registry, String repository, String tag, String digest) {
  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final Pattern HOST =
      Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::([0-9]{1,5}))?");

  /**
   * Parses {@code text} for the given setting.
   *
   * @throws MsbuildException naming the setting when the text is not a valid reference
   */
  public static ImageName parse(String text, Setting setting) {
    String ref = text == null ? "" : text.trim();
    if (ref.isEmpty()) {
      throw invalid(text, setting, "it is empty");
    }
    String digest = null;
    int at = ref.indexOf('@');
    if (at >= 0) {
      digest = ref.substring(at + 1);
      ref = ref.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(text, setting, "the digest '" + digest + "' is not sha256:<64 hex digits>");
      }
    }
    String tag = null;
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      tag = ref.substring(colon + 1);
      ref = ref.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(
            text, setting, "the tag '" + tag + "' may only use letters, digits, '_', '.' and '-' (at most 128)");
      }
    }
    String registry = DOCKER_HUB;
    String path = ref;
    int first = ref.indexOf('/');
    if (first > 0) {
      String head = ref.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost") || head.startsWith("[")) {
        Matcher host = HOST.matcher(head);
        if (!host.matches()) {
          throw invalid(text, setting, "the registry '" + head + "' is not a host name with an optional port");
        }
        if (host.group(1) != null) {
          int port = Integer.parseInt(host.group(1));
          if (port < 1 || port > 65535) {
            throw invalid(text, setting, "the registry port " + port + " is outside 1-65535");
          }
        }
        registry = head.equals("index.docker.io") || head.equals("registry-1.docker.io") ? DOCKER_HUB : head;
        path = ref.substring(first + 1);
      }
    }
    if (path.isEmpty()) {
      throw invalid(text, setting, "it names no repository");
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        String why =
            component.isEmpty()
                ? "it has an empty path component"
                : !component.equals(component.toLowerCase(Locale.ROOT))
                    ? "the repository part '" + component + "' has upper-case letters"
                    : "the repository part '" + component + "' has characters outside [a-z0-9._-]";
        throw invalid(text, setting, why);
      }
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageName(registry, path, tag, digest);
  }

  /** Checks a bare tag, as given in {@code <to><tags>}. */
  public static void checkTag(String tag, Setting setting) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new MsbuildException(
          "'" + tag + "' is not a valid tag: tags use letters, digits, '_', '.' and '-' (at most 128) and do not start with '.' or '-'.",
          setting,
          "write tags like 1.0, latest or v2-rc1.");
    }
  }

  private static MsbuildException invalid(String text, Setting setting, String why) {
    return new MsbuildException(
        "'" + text + "' is not a valid image reference: " + why + ".",
        setting,
        "write it as [registry[:port]/]repository[:tag][@sha256:digest] in lower case, for example "
            + "'registry.example.com/team/app:1.0' or 'alpine:3.20'.");
  }

  /** The tag when there is one, else the digest: what a registry resolves. */
  public String qualifier() {
    return digest != null ? digest : tag;
  }

  public Optional<String> digestOpt() {
    return Optional.ofNullable(digest);
  }

  public ImageName withRegistry(String other) {
    return new ImageName(other, repository, tag, digest);
  }

  public ImageName withRepository(String other) {
    return new ImageName(registry, other, tag, digest);
  }

  public ImageName withTag(String otherTag) {
    return new ImageName(registry, repository, otherTag, null);
  }

  public ImageName withDigest(String otherDigest) {
    return new ImageName(registry, repository, tag, otherDigest);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(registry).append('/').append(repository);
    if (tag != null) {
      text.append(':').append(tag);
    }
    if (digest != null) {
      text.append('@').append(digest);
    }
    return text.toString();
  }
}
