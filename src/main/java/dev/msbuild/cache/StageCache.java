package dev.msbuild.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Results of build steps, content-addressed: a step whose inputs hash to {@code key} ran before
 * and left {@code entry}, so it need not run again. One store for every step (builder runs,
 * jlink runtimes, the layers we write), behind this small interface, so that a local directory
 * and a registry can both serve it.
 */
public interface StageCache {
  /** A cache entry: a directory of files that nothing changes once it is in the cache. */
  record Entry(String key, Path directory) {
    public Path file(String name) {
      return directory.resolve(name);
    }
  }

  /** Fills an empty directory with a step's result. */
  @FunctionalInterface
  interface Filler {
    void fill(Path directory) throws IOException;
  }

  Optional<Entry> find(String key);

  /**
   * Whether entries may come from elsewhere than this machine (a registry): then a step's key is
   * worth computing before its inputs are fetched, since the result may be found without them.
   */
  default boolean shared() {
    return false;
  }

  /**
   * The entry for {@code key}: the one already there, or one {@code filler} makes. Readers never
   * see a half-made entry, and two builds putting one key at once leave one whole entry.
   */
  Entry put(String key, Filler filler) throws IOException;
}
