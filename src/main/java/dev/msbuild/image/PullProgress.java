package dev.msbuild.image;

import dev.msbuild.config.BuildLog;

/** Logs a blob download: a line when it starts and, for large blobs, at each quarter. */
final class PullProgress {
  /** Below this, a download is quick enough that one line says it all. */
  private static final long LARGE = 8L << 20;

  private final String digest;
  private final long size;
  private final BuildLog log;
  private final long start = System.nanoTime();
  private long received;
  private int quartersLogged;

  PullProgress(String digest, long size, BuildLog log) {
    this.digest = digest;
    this.size = size;
    this.log = log;
    log.info("Pulling " + shortDigest(digest) + " (" + megabytes(size) + ")");
  }

  synchronized void add(long bytes) {
    received += bytes;
    if (size >= LARGE) {
      // Each quarter once it is reached; 100% is done()'s line.
      int quarters = (int) Math.min(3, received * 4 / size);
      while (quartersLogged < quarters) {
        quartersLogged++;
        log.info("  " + shortDigest(digest) + ": " + quartersLogged * 25 + "% (" + megabytes(received) + " of " + megabytes(size) + ")");
      }
    }
  }

  void done() {
    log.info(String.format("  %s: 100%% (%s) in %.1f s", shortDigest(digest), megabytes(received), (System.nanoTime() - start) / 1e9));
  }

  static String shortDigest(String digest) {
    int colon = digest.indexOf(':');
    return digest.substring(0, Math.min(digest.length(), colon + 13));
  }

  private static String megabytes(long bytes) {
    return String.format("%.2f MB", bytes / 1e6);
  }
}
