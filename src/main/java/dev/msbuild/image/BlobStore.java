package dev.msbuild.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Image blobs (layers, configs) on disk, content-addressed: {@code <dir>/sha256/<hex>}. A blob is
 * written to a temporary file and renamed into place once whole, so a reader never sees a part.
 */
public final class BlobStore {
  private final Path directory;

  public BlobStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** Writes a blob's bytes to the stream it is given. */
  @FunctionalInterface
  public interface Download {
    void writeTo(OutputStream out) throws IOException;
  }

  public Path pathOf(String digest) {
    String[] parts = digest.split(":", 2);
    return directory.resolve(parts[0]).resolve(parts[1]);
  }

  public Optional<Path> find(String digest) {
    Path path = pathOf(digest);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  /** The blob's path, downloading it first when it is not stored yet. */
  public Path obtain(String digest, Download download) throws IOException {
    Path path = pathOf(digest);
    if (Files.isRegularFile(path)) {
      return path;
    }
    Files.createDirectories(path.getParent());
    Path temp = Files.createTempFile(path.getParent(), path.getFileName() + ".", ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        download.writeTo(out);
      }
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return path;
  }
}
