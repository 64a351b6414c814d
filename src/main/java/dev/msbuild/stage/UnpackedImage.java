package dev.msbuild.stage;

import dev.msbuild.config.ImageName;
import dev.msbuild.image.ImageConfig;
import java.nio.file.Path;

/**
 * A builder image unpacked in the cache.
 *
 * @param name the reference as configured
 * @param resolvedDigest what the reference resolved to
 * @param manifestDigest the platform manifest's digest, which keys the cache
 * @param root the root filesystem; shared and never written by a build
 * @param config the image's Env, WorkingDir and User
 */
record UnpackedImage(ImageName name, String resolvedDigest, String manifestDigest, Path root, ImageConfig config) {
  /** The image by its name and the digest it resolved to, for logs: {@code golang:1.26-alpine@sha256:...}. */
  String pinned() {
    return name.digest() != null ? name.toString() : name + "@" + resolvedDigest;
  }

  /** A short, file-name-safe form of the manifest digest, for cache keys. */
  String shortDigest() {
    return manifestDigest.substring(manifestDigest.indexOf(':') + 1, manifestDigest.indexOf(':') + 13);
  }
}
