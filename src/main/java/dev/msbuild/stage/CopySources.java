package dev.msbuild.stage;

import dev.msbuild.dockerfile.DockerIgnore;
import dev.msbuild.dockerfile.DockerfileParser;
import dev.msbuild.dockerfile.Instruction;
import dev.msbuild.rootfs.RootPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a COPY or ADD copies: the build context's files (wildcards, directories walked, the
 * .dockerignore applied) or another stage's or image's, and what they are, for the step's key.
 */
final class CopySources {
  private CopySources() {}

  /** Whether a source names several files. */
  static final Pattern WILDCARD = Pattern.compile("[*?\\[]");

  /** A file or directory to copy: from a source directory (its contents, {@code relative} below it) or named itself. */
  record Source(Path file, String name, Path directory, String relative) {}

  /**
   * The context's files that {@code sources} name (wildcards matched, directories walked), less
   * what {@code ignore} leaves out and less {@code output}, the plugin's own output directory
   * (where the stages' roots are made while they run).
   */
  static List<Source> fromContext(Instruction in, Path contextDir, DockerIgnore ignore, List<String> sources, Path output)
      throws IOException {
    Path context = contextDir.toAbsolutePath().normalize();
    Path own = output.toAbsolutePath().normalize();
    List<Source> out = new ArrayList<>();
    for (String s : sources) {
      String clean = DockerfileStages.normalize("/" + s).substring(1);
      if (clean.startsWith("..")) {
        throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " " + s + ": outside the build context");
      }
      List<Path> matches = new ArrayList<>();
      if (WILDCARD.matcher(clean).find()) {
        Pattern p = Pattern.compile(globRegex(clean));
        try (Stream<Path> walk = walk(context, own).stream()) {
          walk.filter(f -> !f.equals(context)).filter(f -> p.matcher(context.relativize(f).toString()).matches())
              .filter(f -> !ignore.excludes(context.relativize(f).toString())).sorted().forEach(matches::add);
        }
      } else {
        Path f = clean.isEmpty() ? context : context.resolve(clean);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS) || (!clean.isEmpty() && ignore.excludes(clean))) {
          throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " " + s + ": no such file in the build context "
              + context + (Files.exists(f) ? " (.dockerignore leaves it out)" : ""));
        }
        matches.add(f);
      }
      if (matches.isEmpty()) {
        throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " " + s + ": no file in the build context matches");
      }
      for (Path m : matches) {
        if (Files.isDirectory(m, LinkOption.NOFOLLOW_LINKS)) {
          walkContext(context, ignore, m, out, own);
        } else {
          out.add(new Source(m, m.getFileName().toString(), null, ""));
        }
      }
    }
    return out;
  }

  private static void walkContext(Path context, DockerIgnore ignore, Path dir, List<Source> out, Path own) throws IOException {
    for (Path f : walk(dir, own)) {
      String rel = context.relativize(f).toString();
      if (!f.equals(context) && !rel.isEmpty() && ignore.excludes(rel)) {
        continue;
      }
      String below = dir.relativize(f).toString();
      if (below.isEmpty()) {
        continue; // the directory itself: its contents are copied
      }
      out.add(new Source(f, f.getFileName().toString(), dir, below));
    }
  }

  /** The files of a stage's or an image's root that {@code sources} name, symlinks resolved within it. */
  static List<Source> fromRoot(Instruction in, Path otherRoot, List<String> sources) throws IOException {
    List<Source> out = new ArrayList<>();
    for (String s : sources) {
      String absolute = DockerfileStages.normalize(s.startsWith("/") ? s : "/" + s);
      List<Path> matches = new ArrayList<>();
      if (WILDCARD.matcher(absolute).find()) {
        int slash = absolute.lastIndexOf('/');
        String parent = slash == 0 ? "/" : absolute.substring(0, slash);
        Optional<Path> dir = RootPaths.resolve(otherRoot, parent);
        Pattern p = Pattern.compile(globRegex(absolute.substring(slash + 1)));
        if (dir.isPresent() && Files.isDirectory(dir.get())) {
          try (Stream<Path> list = Files.list(dir.get())) {
            list.filter(f -> p.matcher(f.getFileName().toString()).matches()).sorted().forEach(matches::add);
          }
        }
      } else {
        RootPaths.resolve(otherRoot, absolute).ifPresent(matches::add);
      }
      if (matches.isEmpty()) {
        throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " --from=" + in.flag("from").orElse("") + " " + s
            + ": no such file in that stage");
      }
      for (Path m : matches) {
        if (Files.isDirectory(m)) {
          try (Stream<Path> walk = Files.walk(m)) {
            for (Path f : walk.sorted().toList()) {
              String below = m.relativize(f).toString();
              if (!below.isEmpty()) {
                out.add(new Source(f, f.getFileName().toString(), m, below));
              }
            }
          }
        } else {
          out.add(new Source(m, m.getFileName().toString(), null, ""));
        }
      }
    }
    return out;
  }

  /** What the copied files are: names, kinds, modes and contents, for the step's key. */
  static String digest(List<Source> files) throws IOException {
    MessageDigest digest = InputHash.sha256();
    for (Source s : files) {
      Path f = s.file();
      String kind = Files.isSymbolicLink(f) ? "link " + Files.readSymbolicLink(f)
          : Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file " + InputHash.fileHex(f);
      InputHash.line(digest, s.name() + " " + s.relative() + " " + (s.directory() != null) + " "
          + (Files.isSymbolicLink(f) ? 0777 : mode(f)) + " " + kind);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A file's permission bits, setuid, setgid and sticky included. */
  static int mode(Path file) {
    try {
      return ((Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    } catch (IOException | UnsupportedOperationException e) {
      try {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) {
          mode |= 1 << (8 - p.ordinal());
        }
        return mode;
      } catch (IOException e2) {
        return 0644;
      }
    }
  }

  private static String globRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '[', ']' -> re.append(c);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  /** Every path under {@code start}, sorted, not descending into {@code skipped}. */
  private static List<Path> walk(Path start, Path skipped) throws IOException {
    List<Path> paths = new ArrayList<>();
    Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
        if (dir.startsWith(skipped)) {
          return java.nio.file.FileVisitResult.SKIP_SUBTREE;
        }
        paths.add(dir);
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
        paths.add(file);
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    paths.sort(null);
    return paths;
  }
}
