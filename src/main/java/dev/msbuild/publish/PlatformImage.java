package dev.msbuild.publish;

import dev.msbuild.config.Platform;
import dev.msbuild.image.AssembledImage;

/** One platform's image of a multi-platform build. */
public record PlatformImage(Platform platform, AssembledImage image) {}
