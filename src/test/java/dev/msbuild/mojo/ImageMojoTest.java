package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;

/** The pom configuration reaches the Mojo's fields; skipping is covered by {@link SkipMojoTest}. */
@MojoTest
class ImageMojoTest {
  @Test
  @InjectMojo(goal = "image", pom = "src/test/resources/unit/skip/pom.xml")
  void configurationReachesTheMojo(ImageMojo mojo) {
    assertTrue(mojo.skip);
    assertEquals("linux/arm64", mojo.platform);
    assertEquals("registry.example.com/team/app:1.0", mojo.to.image);
    assertEquals("image", mojo.goal());
  }
}
