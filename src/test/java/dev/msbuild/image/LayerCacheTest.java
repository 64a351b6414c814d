package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.cache.LocalStageCache;
import dev.msbuild.config.FinalStageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerCacheTest {
  @TempDir Path dir;

  @Test
  void theSameEntriesComeFromTheCacheAndAnyChangeWritesANewLayer() throws Exception {
    LayerCache cache = new LayerCache(new LocalStageCache(dir.resolve("stages"), 1L << 30));
    Path binary = Files.writeString(dir.resolve("app"), "v1");
    List<LayerEntry> entries = List.of(new LayerEntry.FileEntry("/app/app", binary, 0755, FinalStageSpec.Owner.ROOT));
    LayerCache.Written first = cache.write(entries, Instant.EPOCH);
    assertFalse(first.cached());
    LayerCache.Written again = cache.write(entries, Instant.EPOCH);
    assertTrue(again.cached());
    assertEquals(first.layer(), again.layer());
    // The same layer as written without the cache, byte for byte.
    AppLayer direct = AppLayer.writeEntries(entries, dir.resolve("direct.tar.gz"), Instant.EPOCH);
    assertEquals(direct.digest(), again.layer().digest());

    assertNotEquals(first.layer().digest(), cache.write(entries, Instant.ofEpochSecond(1767225600)).layer().digest());
    assertNotEquals(first.layer().digest(), cache.write(
        List.of(new LayerEntry.FileEntry("/app/app", binary, 0700, FinalStageSpec.Owner.ROOT)), Instant.EPOCH).layer().digest());
    Files.writeString(binary, "v2");
    LayerCache.Written changed = cache.write(entries, Instant.EPOCH);
    assertFalse(changed.cached());
    assertNotEquals(first.layer().digest(), changed.layer().digest());
  }
}
