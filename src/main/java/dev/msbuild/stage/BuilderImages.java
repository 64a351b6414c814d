package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.GoModule;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.PulledImage;
import dev.msbuild.rootfs.LayerUnpacker;
import dev.msbuild.rootfs.RootfsCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Builder images pulled for this machine's platform and unpacked once into the cache, every layer
 * treated as hostile (see {@link LayerUnpacker}) and checked against its digest.
 */
final class BuilderImages {
  private final ImagePuller puller;
  private final BlobStore blobs;
  private final RootfsCache roots;
  private final BuildLog log;
  private volatile boolean originLogged;

  BuilderImages(ImagePuller puller, BlobStore blobs, RootfsCache roots, BuildLog log) {
    this.puller = puller;
    this.blobs = blobs;
    this.roots = roots;
    this.log = log;
  }

  /** What the builder image's name last resolved to here, from the cache alone. */
  Optional<ImagePuller.LastResolved> lastResolved(BuilderSpec spec) {
    return puller.lastResolved(spec.image(), Platform.host(), Setting.BUILDER_IMAGE);
  }

  /** Where the builder image's name came from when no {@code <builder><image>} is set (a go.mod line); said once. */
  void logOrigin(BuilderSpec spec) {
    if (!originLogged) {
      originLogged = true;
      spec.imageOrigin().ifPresent(origin -> log.info("Builder image " + spec.image() + " " + origin));
    }
  }

  /** The digest of the image manifest the builder image names for this machine, without its layers. */
  String resolve(BuilderSpec spec) {
    logOrigin(spec);
    return puller.resolveManifestDigest(spec.image(), Platform.host(), Setting.BUILDER_IMAGE);
  }

  UnpackedImage unpack(BuilderSpec spec) {
    logOrigin(spec);
    PulledImage image;
    try {
      image = puller.pull(spec.image(), Platform.host(), Setting.BUILDER_IMAGE);
    } catch (MsbuildException e) {
      if (spec.imageOrigin().isEmpty() || !e.problem().contains(" was not found")) {
        throw e;
      }
      throw new MsbuildException(
          e.problem() + "\n  No " + Setting.BUILDER_IMAGE.xml() + " is set: this image was chosen " + spec.imageOrigin().get() + ".",
          Setting.BUILDER_IMAGE,
          "set " + Setting.BUILDER_IMAGE + " to a builder image that exists (for example golang:" + GoModule.DEFAULT_GO_VERSION
              + "-alpine), or correct that line to a Go release that has one.",
          e);
    }
    return unpack(image, "builder image", spec.limits(), Setting.BUILDER_IMAGE);
  }

  /**
   * {@code image}'s root filesystem, unpacked once into the cache within {@code limits}; failures
   * name {@code setting}.
   *
   * @param what how the log names it: "builder image", "Dockerfile image"
   */
  UnpackedImage unpack(PulledImage image, String what, BuilderSpec.UnpackLimits limits, Setting setting) {
    ImageName name = image.requested();
    try {
      var root =
          roots.obtain(
              image.manifestDigest(),
              emptyRoot -> {
                log.info("Unpacking " + what + " " + name + " (" + image.layers().size() + " layers) into the cache");
                LayerUnpacker unpacker =
                    new LayerUnpacker(emptyRoot, limits.maxEntries(), limits.maxBytes());
                int n = 0;
                for (PulledImage.Layer layer : image.layers()) {
                  long start = System.nanoTime();
                  String which = "layer " + (n + 1) + " of " + image.layers().size();
                  try (InputStream in = new UnpackProgress(Files.newInputStream(layer.file()), which, layer.size(), log)) {
                    unpacker.apply(in, layer.digest(), layer.digest());
                    log.info(String.format("  unpacked layer %d of %d (%.2f MB compressed, 100%%) in %.1f s", ++n, image.layers().size(),
                        layer.size() / 1e6, (System.nanoTime() - start) / 1e9));
                  } catch (LayerUnpacker.DigestMismatchException e) {
                    // The stored blob is damaged: drop it so the next build downloads it again.
                    Files.deleteIfExists(layer.file());
                    throw e;
                  }
                }
              });
      return new UnpackedImage(name, image.resolvedDigest(), image.manifestDigest(), root, image.config());
    } catch (LayerUnpacker.LimitExceededException e) {
      Setting limit = e.entryLimit() ? Setting.BUILDER_MAX_ENTRIES : Setting.BUILDER_MAX_BYTES;
      throw new MsbuildException(
          capitalized(what) + " " + name + " is larger than allowed: " + e.getMessage() + ".",
          limit,
          "if you trust this image, raise " + limit + "; otherwise use a smaller " + what + ".",
          e);
    } catch (LayerUnpacker.DigestMismatchException e) {
      throw new MsbuildException(
          capitalized(what) + " " + name + " could not be unpacked: " + e.getMessage()
              + ". The damaged copy was removed from the cache.",
          setting,
          "run the build again to download it afresh; if it happens again, the registry or a mirror serves bad content.",
          e);
    } catch (IOException e) {
      throw new MsbuildException(
          capitalized(what) + " " + name + " could not be unpacked: " + e.getMessage() + ".",
          setting,
          "use an image whose layers stay inside their root filesystem (this one is refused as unsafe), "
              + "or check that " + Setting.CACHE_DIRECTORY + " is writable and has room.",
          e);
    }
  }

  private static String capitalized(String what) {
    return Character.toUpperCase(what.charAt(0)) + what.substring(1);
  }
}
