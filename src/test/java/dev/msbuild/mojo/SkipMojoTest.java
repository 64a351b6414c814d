package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * {@code msbuild.skip} through the plugin testing harness: the Mojo comes from the generated plugin
 * descriptor and the test pom, with the harness's session and project. The poms set no
 * {@code <to><image>}, so only the skip keeps {@code msbuild:image} from failing.
 */
@MojoTest
class SkipMojoTest {

  @Test
  @Basedir("/unit/skip-no-target")
  @InjectMojo(goal = "image", pom = "pom.xml")
  void theCommandLinePropertySkips(ImageMojo mojo) throws Exception {
    Path output = freshOutputDirectory(mojo);
    mojo.session.getUserProperties().setProperty("msbuild.skip", "true");
    mojo.execute();
    assertFalse(Files.exists(output), output + " was created");
  }

  @Test
  @Basedir("/unit/skip-no-target")
  @InjectMojo(goal = "image", pom = "pom.xml")
  void theProjectPropertySkips(ImageMojo mojo) throws Exception {
    Path output = freshOutputDirectory(mojo);
    mojo.project.getProperties().setProperty("msbuild.skip", "true");
    mojo.execute();
    assertFalse(Files.exists(output), output + " was created");
  }

  @Test
  @Basedir("/unit/skip-configured")
  @InjectMojo(goal = "image", pom = "pom.xml")
  void theConfigurationSkips(ImageMojo mojo) throws Exception {
    assertTrue(mojo.skip);
    Path output = freshOutputDirectory(mojo);
    mojo.execute();
    assertFalse(Files.exists(output), output + " was created");
  }

  /** The control: the same pom without the skip fails, naming the missing setting. */
  @Test
  @Basedir("/unit/skip-no-target")
  @InjectMojo(goal = "image", pom = "pom.xml")
  void withoutTheSkipTheMissingTargetFails(ImageMojo mojo) throws Exception {
    Path output = freshOutputDirectory(mojo);
    mojo.cacheDirectory = output.resolveSibling("cache").toFile();
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().startsWith("msbuild:image failed: "), e.getMessage());
    assertTrue(e.getMessage().contains("<to><image> (-Dmsbuild.to.image)"), e.getMessage());
    assertFalse(Files.exists(output), output + " was created");
  }

  /** The command line wins over the pom: -Dmsbuild.skip=false runs a goal the pom skips. */
  @Test
  @Basedir("/unit/skip-configured")
  @InjectMojo(goal = "image", pom = "pom.xml")
  void theCommandLineCanUndoAConfiguredSkip(ImageMojo mojo) throws Exception {
    Path output = freshOutputDirectory(mojo);
    mojo.cacheDirectory = output.resolveSibling("cache").toFile();
    mojo.session.getUserProperties().setProperty("msbuild.skip", "false");
    MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
    assertTrue(e.getMessage().contains("<to><image>"), e.getMessage());
  }

  /**
   * The Mojo's own output directory, {@code ${project.build.directory}/msbuild} under the test
   * basedir, removed if an earlier run left it.
   */
  private static Path freshOutputDirectory(ImageMojo mojo) throws IOException {
    File expected = new File(mojo.project.getBuild().getDirectory(), "msbuild");
    assertEquals(expected.getAbsoluteFile(), mojo.outputDirectory.getAbsoluteFile());
    Path output = mojo.outputDirectory.toPath();
    assertTrue(output.startsWith(Path.of(System.getProperty("basedir", "."), "target").toAbsolutePath()), output.toString());
    if (Files.exists(output)) {
      try (var walk = Files.walk(output)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return output;
  }
}
