package dev.msbuild.publish;

import dev.msbuild.image.AssembledImage;

/** Where a finished image goes: a registry, a tar file. Decorators add outputs around it. */
public interface ImagePublisher {
  PublishResult publish(AssembledImage image);

  /** Checks, before anything is built, what publishing will need (a registry's push access). */
  default void checkAccess() {}
}
