package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec.Owner;
import java.nio.file.Path;

/** One entry of a layer we write: its absolute path in the image, its mode and its owner. */
public sealed interface LayerEntry {
  String imagePath();

  int mode();

  Owner owner();

  /** A regular file whose content is a file on this machine. */
  record FileEntry(String imagePath, Path source, int mode, Owner owner) implements LayerEntry {}

  /** A regular file whose content is made here (/etc/passwd, /etc/group). */
  record BytesEntry(String imagePath, byte[] content, int mode, Owner owner) implements LayerEntry {}

  record DirectoryEntry(String imagePath, int mode, Owner owner) implements LayerEntry {}

  /**
   * An OCI whiteout: the empty file {@code .wh.<name>} beside what it hides, which deletes
   * {@code deletedPath} of the layers below.
   */
  static LayerEntry whiteout(String deletedPath) {
    int slash = deletedPath.lastIndexOf('/');
    return new BytesEntry(deletedPath.substring(0, slash + 1) + ".wh." + deletedPath.substring(slash + 1), new byte[0], 0,
        Owner.ROOT);
  }

  /** A symbolic link; its target is kept as written, relative or absolute. */
  record SymlinkEntry(String imagePath, String target, Owner owner) implements LayerEntry {
    @Override
    public int mode() {
      return 0777;
    }
  }
}
