package dev.msbuild.rootfs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a separate JVM by {@link KilledUnpackTest}: unpacks a layer slowly, so it can be killed. */
public final class UnpackInChildProcess {
  private UnpackInChildProcess() {}

  public static void main(String[] args) throws IOException {
    Path cache = Path.of(args[0]);
    Path layer = Path.of(args[1]);
    new RootfsCache(cache).obtain(args[2], root -> {
      try (InputStream in = new Slow(Files.newInputStream(layer))) {
        new LayerUnpacker(root).apply(in, "slow");
      }
    });
  }

  /** Sleeps a little on every read. */
  private static final class Slow extends FilterInputStream {
    Slow(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.read(b, off, Math.min(len, 4096));
    }
  }
}
