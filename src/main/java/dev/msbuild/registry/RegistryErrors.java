package dev.msbuild.registry;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import java.util.Optional;

/**
 * The one place registry failures become messages: what the registry did, the setting that
 * names the image (or the login, the mirror, the insecure switch), and the fix that fits the
 * failure — a 5xx is not solved by allowing insecure registries.
 */
public final class RegistryErrors {
  private RegistryErrors() {}

  /**
   * @param image the setting that named the image: {@code <to><image>}, {@code <from><image>}, ...
   * @param what the image as users wrote it, for messages
   */
  public static MsbuildException map(
      RegistryException e, Setting image, String what, RegistryAuth auth, Optional<RegistryCredential> credential,
      RegistryOptions options) {
    String registry = e.registry();
    String detail = e.detail();
    return switch (e.kind()) {
      case UNAUTHORIZED -> RegistryCredentials.refused(registry, e.action(), credential, auth, options, false, e);
      case FORBIDDEN -> RegistryCredentials.refused(registry, e.action(), credential, auth, options, true, e);
      case CREDENTIALS_WITHHELD -> RegistryCredentials.notSentOverHttp(registry, e.action(), credential, e);
      case NO_VERIFIED_TLS -> new MsbuildException(
          "Registry " + registry + " (for " + what + ") offers no verified HTTPS: " + detail + ".",
          Setting.ALLOW_INSECURE_REGISTRIES,
          "use a registry with a valid certificate, or set " + Setting.ALLOW_INSECURE_REGISTRIES
              + " to true for a registry you trust (a local or test registry).", e);
      case NOT_A_REGISTRY -> new MsbuildException(
          registry + " does not answer as a container registry while trying to " + e.action() + ": " + detail
              + ". Nothing was taken as pushed or pulled.",
          image,
          "check the registry host and port in " + image + " (" + what + "); a login page, a captive portal or a "
              + "proxy answers in its place. A mirror is set with " + Setting.REGISTRY_MIRRORS + ".", e);
      case UNAVAILABLE -> new MsbuildException(
          "Registry " + registry + " failed to " + e.action() + ": " + detail + (e.status() > 0 ? " (last status " + e.status() + ")" : "") + ".",
          image,
          unavailableFix(e, image, what), e);
      case DIGEST_MISMATCH -> new MsbuildException(
          "Registry " + registry + " served content that does not match its digest (" + e.action() + "): " + detail
              + ". Nothing it served was used or cached.",
          image,
          "a registry or mirror in the way serves other content than the digest names; check " + Setting.REGISTRY_MIRRORS
              + " and the registry of " + what + ", or pin another digest in " + image + ".", e);
      case NOT_FOUND -> new MsbuildException(
          "Registry " + registry + " has no " + e.action().replaceFirst("^(pull|push|check) ", "") + " (" + detail + ").",
          image,
          "check the image name and tag in " + image + " (" + what + ").", e);
      case INVALID -> new MsbuildException(
          "Registry " + registry + " could not " + e.action() + ": " + detail + ".",
          image,
          "check that the registry in " + image + " supports the Docker v2.2 / OCI image formats"
              + (image == Setting.TO_IMAGE ? " (" + Setting.CONTAINER_FORMAT + " chooses which)" : "") + ".", e);
      case TOO_LARGE -> new MsbuildException(
          "Registry " + registry + " sent more than allowed (" + e.action() + "): " + detail + ".",
          image,
          "use an image of ordinary size in " + image + "; a registry that answers this way is not to be trusted.", e);
    };
  }

  private static String unavailableFix(RegistryException e, Setting image, String what) {
    String detail = e.detail();
    if (detail.startsWith("connection refused")) {
      return "nothing listens at " + e.registry() + ": check the host and port in " + image + " (" + what
          + ") and that the registry is running.";
    }
    if (detail.startsWith("unknown host")) {
      return "check the registry host name in " + image + " (" + what + ") and this machine's DNS.";
    }
    if (e.status() == 429) {
      return "the registry limits the rate of requests: wait and run the build again, log in (higher limits), "
          + "or use a mirror (" + Setting.REGISTRY_MIRRORS + ").";
    }
    return "the registry is failing or unreachable; every request was retried with backoff. Try again later, "
        + "check the registry's health, or use a mirror (" + Setting.REGISTRY_MIRRORS + ").";
  }
}
