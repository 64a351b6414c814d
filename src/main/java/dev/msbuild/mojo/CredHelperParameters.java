package dev.msbuild.mojo;

import java.util.Map;

/**
 * {@code <credHelper>}: a Docker credential helper, tried right after {@code <auth>}. Either a
 * name or path as the element's text ({@code <credHelper>ecr-login</credHelper>}), or
 * {@code <helper>} with the {@code <environment>} it runs with.
 */
public class CredHelperParameters {
  /** The helper: a suffix of {@code docker-credential-} on the PATH, or a path to the executable. */
  String helper;

  /** Variables the helper runs with, besides this process's environment ({@code AWS_PROFILE}, ...). */
  Map<String, String> environment;

  /** {@code <credHelper>ecr-login</credHelper>}: Maven calls this for the element's text. */
  public void set(String text) {
    this.helper = text;
  }
}
