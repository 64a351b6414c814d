package dev.msbuild.image;

import dev.msbuild.config.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image blobs (layers, configs) on disk, content-addressed: {@code <dir>/sha256/<hex>}. A blob is
 * written to a temporary file and renamed into place once whole, so a reader never sees a part.
 */
public final class BlobStore {
  private final Path directory;

  public BlobStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path pathOf(String digest) {
    String[] parts = digest.split(":", 2);
    return directory.resolve(parts[0]).resolve(parts[1]);
  }

  /** The blob's path, downloading it first when it is not stored yet. */
  public Path obtain(String digest, AtomicFiles.Content download) throws IOException {
    Path path = pathOf(digest);
    if (Files.isRegularFile(path)) {
      return path;
    }
    AtomicFiles.write(path, download);
    return path;
  }
}
