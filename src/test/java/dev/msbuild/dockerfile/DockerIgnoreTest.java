package dev.msbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
  @Test
  void patternsAsDockerReadsThem() {
    DockerIgnore ignore = DockerIgnore.parse("""
        # comment
        target
        *.md
        !README.md
        **/*.tmp
        /build.log
        docs/[ab]?.txt
        """);
    assertTrue(ignore.excludes("target"));
    assertTrue(ignore.excludes("target/classes/A.class"), "inside an excluded directory");
    assertTrue(ignore.excludes("NOTES.md"));
    assertFalse(ignore.excludes("README.md"), "the exception comes later");
    assertFalse(ignore.excludes("sub/NOTES.md"), "* stops at /");
    assertTrue(ignore.excludes("a/b/c.tmp"));
    assertTrue(ignore.excludes("c.tmp"), "**/ matches no directory too");
    assertTrue(ignore.excludes("build.log"));
    assertTrue(ignore.excludes("docs/a1.txt"));
    assertFalse(ignore.excludes("docs/c1.txt"));
    assertFalse(ignore.excludes("main.go"));
    assertFalse(ignore.skipsDirectory("target"), "an exception exists, so the walk looks inside");
  }

  @Test
  void lastMatchWins() {
    DockerIgnore ignore = DockerIgnore.parse("!keep.txt\n*.txt\n");
    assertTrue(ignore.excludes("keep.txt"));
    assertTrue(DockerIgnore.parse("*\n!app\n").excludes("pom.xml"));
    assertFalse(DockerIgnore.parse("*\n!app\n").excludes("app/main.go"));
  }
}
