package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer being unpacked, counted as it is read: for a large layer, a line at each quarter of its
 * compressed bytes, so a long unpack is never silent.
 */
final class UnpackProgress extends FilterInputStream {
  /** Below this, a layer unpacks quickly enough that its one "unpacked layer" line says it all. */
  static final long LARGE = 16L << 20;

  private final String what;
  private final long size;
  private final BuildLog log;
  private long read;
  private int quartersLogged;

  UnpackProgress(InputStream in, String what, long size, BuildLog log) {
    super(in);
    this.what = what;
    this.size = size;
    this.log = log;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    counted(skipped);
    return skipped;
  }

  private void counted(long bytes) {
    read += bytes;
    if (size < LARGE) {
      return;
    }
    int quarters = (int) Math.min(3, read * 4 / size);
    while (quartersLogged < quarters) {
      quartersLogged++;
      log.info(String.format("  unpacking %s: %d%% (%.2f MB of %.2f MB compressed)", what, quartersLogged * 25,
          Math.min(read, size) / 1e6, size / 1e6));
    }
  }
}
