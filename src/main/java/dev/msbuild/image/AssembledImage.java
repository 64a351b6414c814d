package dev.msbuild.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;

/**
 * A final image ready to publish: Jib's container builder plus what we know of its layers. Opaque
 * outside the image and publish packages, so the rest of the code never touches Jib types.
 */
public final class AssembledImage {
  private final JibContainerBuilder builder;
  private final StagedImage staged;
  private final String key;

  AssembledImage(JibContainerBuilder builder, StagedImage staged, String key) {
    this.builder = builder;
    this.staged = staged;
    this.key = key;
  }

  /**
   * A hash of everything the image is made of: its layers (the base's and ours) and its
   * configuration. Equal keys mean equal images, since images are reproducible.
   */
  public String key() {
    return key;
  }

  public JibContainerBuilder jib() {
    return builder;
  }

  public StagedImage staged() {
    return staged;
  }
}
