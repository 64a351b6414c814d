package dev.msbuild.publish;

import dev.msbuild.image.AssembledImage;

/** Where a finished image goes: a registry, a tar file. Decorators add outputs around it. */
public interface ImagePublisher {
  PublishResult publish(AssembledImage image);
}
