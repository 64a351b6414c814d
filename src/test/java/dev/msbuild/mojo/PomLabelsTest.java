package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PomLabelsTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;

  private PomLabels.Project project(String name, List<String> licenses) {
    return new PomLabels.Project(name, "webserver", "A web server", "1.2.0", "https://example.com/ws",
        "https://git.example.com/ws", licenses, null, dir);
  }

  @Test
  void labelsFromThePom() {
    Map<String, String> labels =
        PomLabels.labels(project("Web server", List.of("Apache-2.0", "MIT")), Optional.of(Instant.parse("2026-01-02T03:04:05Z")));
    assertEquals("Web server", labels.get("org.opencontainers.image.title"));
    assertEquals("A web server", labels.get("org.opencontainers.image.description"));
    assertEquals("1.2.0", labels.get("org.opencontainers.image.version"));
    assertEquals("https://example.com/ws", labels.get("org.opencontainers.image.url"));
    assertEquals("https://git.example.com/ws", labels.get("org.opencontainers.image.source"));
    assertEquals("Apache-2.0 OR MIT", labels.get("org.opencontainers.image.licenses"));
    assertEquals("2026-01-02T03:04:05Z", labels.get("org.opencontainers.image.created"));
    assertFalse(labels.containsKey("org.opencontainers.image.revision"));
  }

  @Test
  void titleFallsBackToArtifactIdAndEmptyValuesAreLeftOut() {
    Map<String, String> labels = PomLabels.labels(
        new PomLabels.Project(null, "webserver", " ", "1", null, null, List.of(), null, dir), Optional.empty());
    assertEquals(Map.of("org.opencontainers.image.title", "webserver", "org.opencontainers.image.version", "1"), labels);
  }

  @Test
  void revisionFromALooseRef() throws IOException {
    Path git = Files.createDirectories(dir.resolve(".git/refs/heads"));
    Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(git.resolve("main"), SHA + "\n");
    Path module = Files.createDirectories(dir.resolve("module"));
    assertEquals(Optional.of(SHA), GitRevision.of(module));
  }

  @Test
  void revisionFromPackedRefsDetachedHeadAndWorktree() throws IOException {
    Files.createDirectories(dir.resolve("repo/.git"));
    Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/release\n");
    Files.writeString(dir.resolve("repo/.git/packed-refs"), "# pack-refs with: peeled\n" + SHA + " refs/heads/release\n");
    assertEquals(Optional.of(SHA), GitRevision.of(dir.resolve("repo")));

    Files.writeString(dir.resolve("repo/.git/HEAD"), SHA + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(dir.resolve("repo")));

    Path worktreeGit = Files.createDirectories(dir.resolve("repo/.git/worktrees/wt"));
    Files.writeString(worktreeGit.resolve("HEAD"), "ref: refs/heads/release\n");
    Files.writeString(worktreeGit.resolve("commondir"), "../..\n");
    Files.createDirectories(dir.resolve("wt"));
    Files.writeString(dir.resolve("wt/.git"), "gitdir: " + worktreeGit + "\n");
    assertEquals(Optional.of(SHA), GitRevision.of(dir.resolve("wt")));
  }

  @Test
  void noCheckoutNoRevision() {
    assertEquals(Optional.empty(), GitRevision.of(Path.of("/")));
  }

  @Test
  void outputTimestampAsMavenReadsIt() {
    assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00Z")), PomLabels.outputTimestamp("2026-01-01T00:00:00Z"));
    assertEquals(Optional.of(Instant.parse("2026-01-01T00:00:00Z")), PomLabels.outputTimestamp("2026-01-01T01:00:00+01:00"));
    assertEquals(Optional.of(Instant.ofEpochSecond(1700000000)), PomLabels.outputTimestamp("1700000000"));
    assertEquals(Optional.empty(), PomLabels.outputTimestamp("a"));
    assertEquals(Optional.empty(), PomLabels.outputTimestamp(null));
    MsbuildException e = assertThrows(MsbuildException.class, () -> PomLabels.outputTimestamp("yesterday"));
    assertEquals(Optional.of(Setting.OUTPUT_TIMESTAMP), e.setting());
  }
}
