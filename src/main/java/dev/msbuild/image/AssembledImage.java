package dev.msbuild.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;

/**
 * A final image ready to publish: Jib's container builder plus what we know of its layers. Opaque
 * outside the image and publish packages, so the rest of the code never touches Jib types.
 */
public final class AssembledImage {
  private final JibContainerBuilder builder;
  private final StagedImage staged;

  AssembledImage(JibContainerBuilder builder, StagedImage staged) {
    this.builder = builder;
    this.staged = staged;
  }

  public JibContainerBuilder jib() {
    return builder;
  }

  public StagedImage staged() {
    return staged;
  }
}
