package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Project directories and single files copied into the image, as Jib's extraDirectories: files
 * 644 (755 when executable on disk), root-owned unless a permission rule says otherwise, symlinks
 * kept as symlinks with their link text unchanged. A directory no rule matches is as the layers
 * below have it (a non-root user's home stays theirs), else 755 root.
 */
public final class ExtraFiles {
  private ExtraFiles() {}

  /** The entries on a base whose directories are not known (scratch, tests). */
  public static List<LayerEntry> entries(FinalStageSpec spec) throws IOException {
    return entries(spec, ImageFiles.EMPTY);
  }

  /**
   * @param lower what the layers below have: a directory no permission rule matches keeps theirs
   *     (mode and owner), and one that is a symlink there is not written over
   */
  public static List<LayerEntry> entries(FinalStageSpec spec, ImageFiles lower) throws IOException {
    List<Rule> rules = new ArrayList<>();
    for (FinalStageSpec.Permission p : spec.permissions()) {
      rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + p.glob()), p));
    }
    List<LayerEntry> entries = new ArrayList<>();
    for (FinalStageSpec.ExtraDirectory dir : spec.extraDirectories()) {
      if (Files.isRegularFile(dir.from(), LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(dir.from())) {
        // A single file: into is its path, or the directory it goes into when it ends in '/'.
        String into = dir.into().endsWith("/") ? dir.into() + dir.from().getFileName() : dir.into();
        entry(dir.from(), into, rules, lower).ifPresent(entries::add);
        continue;
      }
      if (!Files.isDirectory(dir.from())) {
        throw new MsbuildException(
            "The extra path " + dir.from() + " does not exist or is neither a file nor a directory.",
            Setting.EXTRA_DIRECTORIES,
            "create it or correct the path.");
      }
      try (Stream<Path> walk = Files.walk(dir.from())) {
        for (Path file : walk.sorted().toList()) {
          if (file.equals(dir.from())) {
            continue;
          }
          String imagePath = join(dir.into(), dir.from().relativize(file).toString());
          entry(file, imagePath, rules, lower).ifPresent(entries::add);
        }
      }
    }
    return entries;
  }

  private record Rule(PathMatcher matcher, FinalStageSpec.Permission permission) {}

  private static Optional<LayerEntry> entry(Path file, String imagePath, List<Rule> rules, ImageFiles lower) throws IOException {
    Optional<Integer> mode = Optional.empty();
    Optional<Owner> owner = Optional.empty();
    for (Rule rule : rules) {
      if (rule.matcher().matches(Path.of(imagePath))) {
        mode = rule.permission().mode().isPresent() ? rule.permission().mode() : mode;
        owner = rule.permission().owner().isPresent() ? rule.permission().owner() : owner;
      }
    }
    Owner by = owner.orElse(Owner.ROOT);
    if (Files.isSymbolicLink(file)) {
      return Optional.of(new LayerEntry.SymlinkEntry(imagePath, Files.readSymbolicLink(file).toString(), by));
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return mode.isEmpty() && owner.isEmpty()
          ? ParentDirectories.over(lower, imagePath, 0755, Owner.ROOT)
          : Optional.of(new LayerEntry.DirectoryEntry(imagePath, mode.orElse(0755), by));
    }
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      boolean executable = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
      return Optional.of(new LayerEntry.FileEntry(imagePath, file, mode.orElse(executable ? 0755 : 0644), by));
    }
    throw new MsbuildException(
        file + " is neither a file, a directory nor a symlink.",
        Setting.EXTRA_DIRECTORIES,
        "remove it from the extra directory; devices, sockets and pipes cannot be copied into an image.");
  }

  static String join(String into, String relative) {
    String base = into.endsWith("/") ? into : into + "/";
    return base + relative.replace('\\', '/');
  }
}
