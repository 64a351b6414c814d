package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Removes a build's temporary paths once it is over, without ever hiding how it ended: a path
 * that cannot be removed is a warning (the next build removes what a finished build left, see
 * {@link OwnedPaths#removeAbandoned}); when the build itself failed, the cleanup's failure is
 * attached to the build's error as a suppressed exception and never replaces it.
 */
final class Cleanup {
  private Cleanup() {}

  /**
   * Deletes each of {@code paths}.
   *
   * @param failure how the build failed, or null when it succeeded
   */
  static void remove(BuildLog log, Throwable failure, Path... paths) {
    for (Path path : paths) {
      if (path == null) {
        continue;
      }
      try {
        LayerUnpacker.deleteRecursively(path);
      } catch (IOException | RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        }
        log.warn("Could not remove the temporary " + path + " (" + e.getMessage() + "); the next build removes it."
            + (failure != null ? " The build's own error follows." : ""));
      }
    }
  }
}
