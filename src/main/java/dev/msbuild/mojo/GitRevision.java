package dev.msbuild.mojo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commit a git checkout is at, read from its files (no git binary needed): {@code HEAD}, the
 * ref it names (loose or packed), and worktrees' {@code gitdir:} / {@code commondir} indirections.
 */
final class GitRevision {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private GitRevision() {}

  /** The HEAD commit of the checkout that holds {@code directory}, if it is in one. */
  static Optional<String> of(Path directory) {
    try {
      for (Path dir = directory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
        Path dotGit = dir.resolve(".git");
        if (Files.isDirectory(dotGit)) {
          return head(dotGit);
        }
        if (Files.isRegularFile(dotGit)) {
          String line = read(dotGit);
          if (line.startsWith("gitdir:")) {
            return head(dir.resolve(line.substring("gitdir:".length()).trim()).normalize());
          }
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      // An unreadable checkout has no revision we can vouch for.
    }
    return Optional.empty();
  }

  /**
   * The HEAD commit's committer time, asked of git (the commit object is compressed); empty when
   * git is not installed or the directory is not a checkout.
   */
  static Optional<java.time.Instant> commitTime(Path directory) {
    try {
      Process git = new ProcessBuilder("git", "-C", directory.toString(), "log", "-1", "--format=%ct")
          .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      git.getOutputStream().close();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!git.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return Optional.empty();
      }
      return git.exitValue() == 0 && out.matches("\\d{1,12}")
          ? Optional.of(java.time.Instant.ofEpochSecond(Long.parseLong(out))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> head(Path gitDir) throws IOException {
    String head = read(gitDir.resolve("HEAD"));
    if (SHA.matcher(head).matches()) {
      return Optional.of(head);
    }
    if (!head.startsWith("ref:")) {
      return Optional.empty();
    }
    String ref = head.substring("ref:".length()).trim();
    Path common = gitDir;
    if (Files.isRegularFile(gitDir.resolve("commondir"))) {
      common = gitDir.resolve(read(gitDir.resolve("commondir"))).normalize();
    }
    for (Path base : new Path[] {gitDir, common}) {
      Path loose = base.resolve(ref);
      if (Files.isRegularFile(loose)) {
        String sha = read(loose);
        return SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
      }
    }
    Path packed = common.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ", 2);
        if (parts.length == 2 && parts[1].equals(ref) && SHA.matcher(parts[0]).matches()) {
          return Optional.of(parts[0]);
        }
      }
    }
    return Optional.empty(); // a branch with no commit yet
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
