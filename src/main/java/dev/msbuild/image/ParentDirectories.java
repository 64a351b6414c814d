package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The directories a layer of ours writes above its files, as the layers below already have them:
 * a directory the base (or the {@code <nonRootUser>} layer) defines keeps its mode and owner, a
 * symlink to a directory (merged /usr's {@code /bin}) stays a symlink and is not written, and only a
 * directory nothing below has gets 0755 root. Without this a non-root user's home, say, would
 * come out of the next layer owned by root.
 */
public final class ParentDirectories {
  private ParentDirectories() {}

  /**
   * {@code entries} with every parent directory they lack, each as {@link #over} says; the list
   * is what the layer holds, so its cache key covers what was taken from below.
   */
  public static List<LayerEntry> complete(List<LayerEntry> entries, ImageFiles lower) {
    TreeMap<String, LayerEntry> named = new TreeMap<>();
    for (LayerEntry entry : entries) {
      named.put(trim(entry.imagePath()), entry);
    }
    TreeMap<String, Optional<LayerEntry>> parents = new TreeMap<>();
    for (String path : named.keySet()) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String parent = path.substring(0, slash);
        if (!named.containsKey(parent) && !parents.containsKey(parent)) {
          parents.put(parent, over(lower, "/" + parent, 0755, Owner.ROOT));
        }
      }
    }
    List<LayerEntry> complete = new ArrayList<>(entries);
    parents.values().forEach(p -> p.ifPresent(complete::add));
    return complete;
  }

  /**
   * A directory at {@code path} in a layer over {@code lower}: lower's own mode and owner when it
   * has that directory, nothing when lower has a symlink there (the layer's files go through it),
   * else {@code mode} and {@code owner}.
   */
  public static Optional<LayerEntry> over(ImageFiles lower, String path, int mode, Owner owner) {
    Optional<LayerEntry> below = lower.entryAt(path);
    if (below.isPresent() && below.get() instanceof LayerEntry.SymlinkEntry) {
      return Optional.empty();
    }
    return Optional.of(below.<LayerEntry>map(d -> new LayerEntry.DirectoryEntry(path, d.mode(), d.owner()))
        .orElse(new LayerEntry.DirectoryEntry(path, mode, owner)));
  }

  private static String trim(String imagePath) {
    return imagePath.replaceFirst("^/+", "").replaceFirst("/+$", "");
  }
}
