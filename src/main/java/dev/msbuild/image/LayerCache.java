package dev.msbuild.image;

import dev.msbuild.cache.StageCache;
import dev.msbuild.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The layers we write, kept in the stage cache by what they are made of: each entry's path,
 * type, mode, owner, link target and content, and the files' time. An unchanged layer is found
 * there, not compressed again; a new one is written into the cache once.
 */
public final class LayerCache {
  /** Bumped whenever the bytes AppLayer writes for the same entries change. */
  private static final String FORMAT = "msbuild layer v3 (parallel gzip 9, 256 KiB blocks, parents as given)";
  private static final String LAYER = "layer.tar.gz";
  private static final String META = "layer.properties";

  private final StageCache cache;

  public LayerCache(StageCache cache) {
    this.cache = cache;
  }

  /** A layer and whether it came from the cache. */
  public record Written(AppLayer layer, boolean cached) {}

  /** A layer on a base whose directories are not known (scratch): parents it lacks are 0755 root. */
  public Written write(List<LayerEntry> entries, Instant time) throws IOException {
    return write(entries, ImageFiles.EMPTY, time);
  }

  /**
   * A layer over {@code lower}: the parent directories its entries lack are taken from there
   * ({@link ParentDirectories}), and being entries of the layer, they are part of its key.
   */
  public Written write(List<LayerEntry> given, ImageFiles lower, Instant time) throws IOException {
    List<LayerEntry> entries = ParentDirectories.complete(given, lower);
    String key = "layer-" + key(entries, time).hex();
    Optional<StageCache.Entry> found = cache.find(key);
    if (found.isPresent()) {
      Optional<AppLayer> layer = read(found.get());
      if (layer.isPresent()) {
        return new Written(layer.get(), true);
      }
    }
    StageCache.Entry entry = cache.put(key, dir -> {
      AppLayer layer = AppLayer.writeExactly(entries, dir.resolve(LAYER), time);
      Properties meta = new Properties();
      meta.setProperty("digest", layer.digest());
      meta.setProperty("diffId", layer.diffId());
      meta.setProperty("size", Long.toString(layer.size()));
      try (var out = Files.newOutputStream(dir.resolve(META))) {
        meta.store(out, null);
      }
    });
    return new Written(read(entry).orElseThrow(() -> new IOException("the layer cache entry " + entry.directory() + " is incomplete")),
        false);
  }

  private static Optional<AppLayer> read(StageCache.Entry entry) throws IOException {
    Path file = entry.file(LAYER);
    if (!Files.isRegularFile(entry.file(META)) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(entry.file(META))) {
      meta.load(in);
    }
    long size = Long.parseLong(meta.getProperty("size", "-1"));
    if (size != Files.size(file)) {
      return Optional.empty();
    }
    return Optional.of(new AppLayer(file, meta.getProperty("digest"), meta.getProperty("diffId"), size));
  }

  /** Everything the layer's bytes depend on, in a fixed order. */
  static Digest key(List<LayerEntry> entries, Instant time) throws IOException {
    MessageDigest sha = Digest.newSha256();
    line(sha, FORMAT);
    line(sha, "time " + time.getEpochSecond());
    for (LayerEntry e : entries) {
      String owner = e.owner().uid() + ":" + e.owner().gid();
      String kind;
      if (e instanceof LayerEntry.FileEntry f) {
        kind = "file " + Digest.of(f.source());
      } else if (e instanceof LayerEntry.BytesEntry b) {
        kind = "bytes " + Digest.of(b.content());
      } else if (e instanceof LayerEntry.SymlinkEntry l) {
        kind = "link " + l.target().length() + " " + l.target();
      } else {
        kind = "dir";
      }
      line(sha, e.imagePath().length() + " " + e.imagePath() + " " + Integer.toOctalString(e.mode()) + " " + owner + " " + kind);
    }
    return Digest.of(sha);
  }

  private static void line(MessageDigest sha, String text) {
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
  }
}
