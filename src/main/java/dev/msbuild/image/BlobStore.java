package dev.msbuild.image;

import dev.msbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Image blobs (layers, configs) on disk, content-addressed: {@code <dir>/sha256/<hex>}. A blob is
 * downloaded into a temporary file of its own and renamed into place only once whole and
 * verified, so a reader never sees a part and nothing unverified is ever stored under a digest.
 */
public final class BlobStore {
  private final Path directory;

  public BlobStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  public Path pathOf(Digest digest) {
    return directory.resolve("sha256").resolve(digest.hex());
  }

  /** Fills a temporary file with the blob, checking it against its digest. */
  @FunctionalInterface
  public interface Download {
    void into(Path temp) throws IOException;
  }

  /** The blob's path, downloading it first when it is not stored yet. */
  public Path obtain(Digest digest, Download download) throws IOException {
    Path path = pathOf(digest);
    if (Files.isRegularFile(path)) {
      return path;
    }
    Files.createDirectories(path.getParent());
    Path temp = Files.createTempFile(path.getParent(), digest.hex().substring(0, 12) + ".", ".part");
    try {
      download.into(temp);
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return path;
  }
}
