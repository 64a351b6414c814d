package dev.msbuild.publish;

import dev.msbuild.config.BuildLog;
import dev.msbuild.oci.Digest;
import java.util.function.LongConsumer;

/**
 * Logs an upload of a large layer at each quarter, up to 100%. A retried upload starts again from
 * 0; only new highs are logged, so the quarters never go backwards.
 */
final class PushProgress implements LongConsumer {
  /** Below this, an upload is quick enough that its one "Pushed layer" line says it all. */
  static final long LARGE = 8L << 20;

  private final Digest digest;
  private final long size;
  private final BuildLog log;
  private int quartersLogged;

  PushProgress(Digest digest, long size, BuildLog log) {
    this.digest = digest;
    this.size = size;
    this.log = log;
  }

  @Override
  public synchronized void accept(long sent) {
    if (size < LARGE) {
      return;
    }
    int quarters = (int) Math.min(3, sent * 4 / size);
    while (quartersLogged < quarters) {
      quartersLogged++;
      log.info(String.format("  pushing %s: %d%% (%.2f MB of %.2f MB)", digest.shortForm(), quartersLogged * 25,
          Math.min(sent, size) / 1e6, size / 1e6));
    }
  }
}
