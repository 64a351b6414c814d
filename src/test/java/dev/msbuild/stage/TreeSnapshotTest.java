package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.image.LayerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSnapshotTest {
  @TempDir Path root;

  private static final BuildLog QUIET = BuildLog.NONE;

  private List<String> changes(TreeSnapshot before) throws Exception {
    List<String> out = new ArrayList<>();
    for (LayerEntry e : before.again(Set.of("/proc")).changesSince(before, n -> Owner.ROOT, QUIET)) {
      String kind = e instanceof LayerEntry.DirectoryEntry ? "d" : e instanceof LayerEntry.SymlinkEntry l ? "l->" + l.target() : "f";
      out.add(kind + " " + e.imagePath() + " " + Integer.toOctalString(e.mode()));
    }
    return out;
  }

  @Test
  void nothingChangedIsNoEntry() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/motd"), "hi");
    TreeSnapshot before = TreeSnapshot.take(root, Set.of());
    // Rewritten with the same bytes: a new time, the same content, no change.
    Files.writeString(root.resolve("etc/motd"), "hi");
    assertEquals(List.of(), changes(before));
  }

  @Test
  void deletionsAreWhiteoutsOfTheTopmostPathOnly() throws Exception {
    Files.createDirectories(root.resolve("etc/apk/protected_paths.d/sub"));
    Files.writeString(root.resolve("etc/apk/protected_paths.d/sub/a"), "a");
    Files.writeString(root.resolve("etc/motd"), "hi");
    Files.writeString(root.resolve("etc/keep"), "k");
    TreeSnapshot before = TreeSnapshot.take(root, Set.of());
    Files.delete(root.resolve("etc/motd"));
    Files.delete(root.resolve("etc/apk/protected_paths.d/sub/a"));
    Files.delete(root.resolve("etc/apk/protected_paths.d/sub"));
    Files.delete(root.resolve("etc/apk/protected_paths.d"));
    assertEquals(List.of("f /etc/apk/.wh.protected_paths.d 0", "f /etc/.wh.motd 0"), changes(before));
  }

  @Test
  void newAndChangedEntriesComeWithTheirDirectories() throws Exception {
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("usr/bin/tool"), "v1");
    TreeSnapshot before = TreeSnapshot.take(root, Set.of());
    Files.writeString(root.resolve("usr/bin/tool"), "v2");
    Files.setPosixFilePermissions(root.resolve("usr/bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(root.resolve("data"));
    Files.setPosixFilePermissions(root.resolve("data"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(root.resolve("greeting"), Path.of("/data/greeting"));
    assertEquals(List.of("d /data 750", "d /usr 755", "d /usr/bin 755", "f /usr/bin/tool 755", "l->/data/greeting /greeting 777"),
        changes(before).stream().sorted().toList());
  }

  @Test
  void aFileReplacedByADirectoryIsWhitedOutAndAdded() throws Exception {
    Files.writeString(root.resolve("thing"), "file");
    TreeSnapshot before = TreeSnapshot.take(root, Set.of());
    Files.delete(root.resolve("thing"));
    Files.createDirectories(root.resolve("thing"));
    Files.setPosixFilePermissions(root.resolve("thing"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(List.of("f /.wh.thing 0", "d /thing 755"), changes(before));
  }

  @Test
  void skippedMountPointsAreNotLookedInto() throws Exception {
    Files.createDirectories(root.resolve("proc"));
    TreeSnapshot before = TreeSnapshot.take(root, Set.of("/proc"));
    Files.writeString(root.resolve("proc/cpuinfo"), "x");
    assertEquals(List.of(), changes(before));
  }
}
