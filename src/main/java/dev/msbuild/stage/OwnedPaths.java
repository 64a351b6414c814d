package dev.msbuild.stage;

import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Temporary files and directories named after the process that made them,
 * {@code <prefix><pid>-<start>-<random><suffix>}: two builds of one project at once never pick the
 * same one, and a later build can tell what a killed build left behind (its owner no longer runs)
 * and remove it.
 */
final class OwnedPaths {
  /** What a sweeping build appends while it deletes an entry, so that no other sweep deletes it too. */
  private static final String CLAIMED = ".removing-";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An abandoned entry that was removed, and the process that had made it. */
  record Removed(Path path, ProcessStamp owner) {}

  private OwnedPaths() {}

  /** A fresh path in {@code dir} owned by this JVM; nothing is created. */
  static Path fresh(Path dir, String prefix, String suffix) {
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    return dir.resolve(prefix + ProcessStamp.current().text() + "-" + HexFormat.of().formatHex(random) + suffix);
  }

  /** A new directory in {@code dir} owned by this JVM. */
  static Path createDirectory(Path dir, String prefix, String suffix, FileAttribute<?>... attributes) throws IOException {
    Files.createDirectories(dir);
    while (true) {
      try {
        return Files.createDirectory(fresh(dir, prefix, suffix), attributes);
      } catch (FileAlreadyExistsException e) {
        // 32 random bits collided: draw again
      }
    }
  }

  /**
   * Removes the entries of {@code dir} named {@code prefix<stamp>...} whose owner no longer runs
   * (its pid is gone or belongs to a newer process). Entries of running builds, and names
   * without a stamp, are left alone.
   */
  static List<Removed> removeAbandoned(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
    List<Removed> removed = new ArrayList<>();
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      Optional<ProcessStamp> owner = ProcessStamp.parse(name.substring(prefix.length()));
      if (owner.isEmpty() || owner.get().running() || claimedByARunningBuild(name)) {
        continue;
      }
      // Claim it first: of two builds sweeping at once, only one renames it, and deletes it.
      Path claimed = entry.resolveSibling(name + CLAIMED + ProcessStamp.current().text());
      try {
        Files.move(entry, claimed, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        continue;
      }
      LayerUnpacker.deleteRecursively(claimed);
      removed.add(new Removed(entry, owner.get()));
    }
    return removed;
  }

  private static boolean claimedByARunningBuild(String name) {
    int claim = name.lastIndexOf(CLAIMED);
    return claim >= 0 && ProcessStamp.parse(name.substring(claim + CLAIMED.length())).map(ProcessStamp::running).orElse(false);
  }
}
