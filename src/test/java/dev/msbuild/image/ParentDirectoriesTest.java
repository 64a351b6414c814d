package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.cache.LocalStageCache;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.FinalStageSpec.Owner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our layers keep the directories of the layers below: a non-root home stays the user's, /bin stays a symlink. */
class ParentDirectoriesTest {
  private static final Owner APP = new Owner(10001, 10001);
  @TempDir Path dir;

  /** A base like podinfo's: /home/app the user's (0700), /bin a merged-/usr symlink. */
  private ImageFiles base() throws IOException {
    Path layer = AppLayer.writeEntries(List.of(
        new LayerEntry.DirectoryEntry("/home", 0755, Owner.ROOT),
        new LayerEntry.DirectoryEntry("/home/app", 0700, APP),
        new LayerEntry.DirectoryEntry("/usr/bin", 0755, Owner.ROOT),
        new LayerEntry.SymlinkEntry("/bin", "usr/bin", Owner.ROOT)), dir.resolve("base.tar.gz")).file();
    return ImageFiles.fromLayers(List.of(layer));
  }

  private static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    Map<String, LayerEntry> map = new TreeMap<>();
    entries.forEach(e -> map.put(e.imagePath(), e));
    return map;
  }

  @Test
  void parentsComeFromBelowSymlinksAreLeftAndNewOnesAreRootOwned() throws IOException {
    List<LayerEntry> entries = ParentDirectories.complete(List.of(
        new LayerEntry.BytesEntry("/home/app/.config/app.conf", new byte[] {1}, 0644, Owner.ROOT),
        new LayerEntry.BytesEntry("/bin/exporter", new byte[] {1}, 0755, Owner.ROOT)), base());
    Map<String, LayerEntry> paths = byPath(entries);
    assertEquals(new LayerEntry.DirectoryEntry("/home/app", 0700, APP), paths.get("/home/app"));
    assertEquals(new LayerEntry.DirectoryEntry("/home", 0755, Owner.ROOT), paths.get("/home"));
    assertEquals(new LayerEntry.DirectoryEntry("/home/app/.config", 0755, Owner.ROOT), paths.get("/home/app/.config"));
    assertFalse(paths.containsKey("/bin"), "the base's /bin symlink is not written over: " + paths);
  }

  @Test
  void extraDirectoriesKeepTheUsersHomeAndPlaceSingleFiles() throws IOException {
    Path project = Files.createDirectories(dir.resolve("image/home/app/.config"));
    Files.writeString(project.resolve("app.conf"), "x=1\n");
    Path license = Files.writeString(dir.resolve("LICENSE"), "MIT\n");
    FinalStageSpec spec = new FinalStageSpec(List.of(), false, false, Optional.empty(),
        List.of(new FinalStageSpec.ExtraDirectory(dir.resolve("image"), "/"),
            new FinalStageSpec.ExtraDirectory(license, "/usr/share/doc/app/LICENSE"),
            new FinalStageSpec.ExtraDirectory(license, "/licenses/")),
        List.of(new FinalStageSpec.Permission("/usr/share/doc/app/LICENSE", Optional.of(0444), Optional.of(APP))),
        Optional.empty());
    ImageFiles lower = base();
    Map<String, LayerEntry> paths = byPath(ParentDirectories.complete(ExtraFiles.entries(spec, lower), lower));
    assertEquals(new LayerEntry.DirectoryEntry("/home/app", 0700, APP), paths.get("/home/app"));
    assertEquals(new LayerEntry.DirectoryEntry("/home/app/.config", 0755, Owner.ROOT), paths.get("/home/app/.config"));
    assertEquals(new LayerEntry.FileEntry("/usr/share/doc/app/LICENSE", license, 0444, APP), paths.get("/usr/share/doc/app/LICENSE"));
    assertEquals(new LayerEntry.FileEntry("/licenses/LICENSE", license, 0644, Owner.ROOT), paths.get("/licenses/LICENSE"));
    // On scratch (nothing below), the old default.
    assertEquals(new LayerEntry.DirectoryEntry("/home/app", 0755, Owner.ROOT),
        byPath(ExtraFiles.entries(spec)).get("/home/app"));
  }

  @Test
  void theNonRootUsersHomeSurvivesTheExtraFilesLayer() throws IOException {
    Path project = Files.createDirectories(dir.resolve("image/home/app"));
    Files.writeString(project.resolve("motd"), "hi\n");
    FinalStageSpec spec = new FinalStageSpec(List.of(), false, false, Optional.of(new FinalStageSpec.NonRootUser("app", 10001, 10002)),
        List.of(new FinalStageSpec.ExtraDirectory(dir.resolve("image"), "/")), List.of(), Optional.empty());
    FinalStageFiles files = FinalStageFiles.assemble(spec, null, UserDatabase.EMPTY, ImageFiles.EMPTY, Optional::empty);
    assertEquals(Optional.of("10001:10002"), files.defaultUser());
    assertTrue(files.users().passwd().orElseThrow().contains("app:x:10001:10002:app:/home/app:"));
    assertTrue(files.users().group().orElseThrow().contains("app:x:10002:"));
    assertEquals(new LayerEntry.DirectoryEntry("/home/app", 0755, new Owner(10001, 10002)), byPath(files.builderFiles()).get("/home/app"));
    assertEquals(new LayerEntry.DirectoryEntry("/home/app", 0755, new Owner(10001, 10002)), byPath(files.extraFiles()).get("/home/app"));
  }

  @Test
  void theLayerCacheKeyCoversWhatIsTakenFromBelow() throws IOException {
    LayerCache cache = new LayerCache(new LocalStageCache(dir.resolve("stages"), 1L << 30));
    List<LayerEntry> entries = List.of(new LayerEntry.BytesEntry("/home/app/x", new byte[] {1}, 0644, Owner.ROOT));
    String onScratch = cache.write(entries, ImageFiles.EMPTY, Instant.EPOCH).layer().digest();
    LayerCache.Written onBase = cache.write(entries, base(), Instant.EPOCH);
    assertFalse(onBase.cached());
    assertNotEquals(onScratch, onBase.layer().digest());
    assertTrue(cache.write(entries, base(), Instant.EPOCH).cached());
  }
}
