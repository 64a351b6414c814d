package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** What is not an MsbuildException still ends as a Maven failure that says what happened, in which goal, and the fix. */
@MojoTest
class UnexpectedFailureTest {

  /** The goal's execute() with the harness's session and project, and a build that runs out of memory. */
  @Test
  @Basedir("/unit/skip-no-target")
  @InjectMojo(goal = "image", pom = "pom.xml")
  void anOutOfMemoryErrorInTheBuildBecomesAFailureWithTheFix(ImageMojo injected) {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    AbstractMsbuildMojo mojo = new AbstractMsbuildMojo() {
      @Override
      String goal() {
        return "image";
      }

      @Override
      void run(MultiStageBuild build, BuildLog log) {
        throw oom;
      }
    };
    mojo.project = injected.project;
    mojo.session = injected.session;
    mojo.settings = injected.settings;
    mojo.decrypter = injected.decrypter;
    mojo.sourceDirectory = injected.sourceDirectory;
    mojo.outputDirectory = injected.outputDirectory;
    mojo.platform = injected.platform;
    MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
    assertSame(oom, e.getCause());
    assertTrue(e.getMessage().startsWith("msbuild:image failed: the JVM ran out of memory (java.lang.OutOfMemoryError: Java heap space)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("\n  Fix: give Maven more heap, for example MAVEN_OPTS=-Xmx")
        && e.getMessage().contains("<builder><maxBytes> (-Dmsbuild.builder.maxBytes)"), e.getMessage());
  }

  @Test
  void anErrorFromAPlatformsThreadIsFoundInsideItsWrapper() {
    MojoExecutionException e = AbstractMsbuildMojo.unexpected("msbuild:tar",
        new IllegalStateException(new java.util.concurrent.ExecutionException(new OutOfMemoryError("Java heap space"))));
    assertTrue(e.getMessage().startsWith("msbuild:tar failed: the JVM ran out of memory"), e.getMessage());
  }

  @Test
  void otherErrorsAndRuntimeExceptionsSayWhatHappenedAndWhatToDo() {
    String stack = AbstractMsbuildMojo.unexpected("msbuild:image", new StackOverflowError()).getMessage();
    assertTrue(stack.startsWith("msbuild:image failed: the JVM ran out of stack") && stack.contains("MAVEN_OPTS=-Xss8m"), stack);
    String linkage = AbstractMsbuildMojo.unexpected("msbuild:build", new NoSuchMethodError("com.google.common.X.y()")).getMessage();
    assertTrue(linkage.startsWith("msbuild:build failed with an internal error: java.lang.NoSuchMethodError: com.google.common.X.y()")
        && linkage.contains("\n  Fix: ") && linkage.contains("class path"), linkage);
    String runtime = AbstractMsbuildMojo.unexpected("msbuild:image", new IllegalStateException("broken")).getMessage();
    assertTrue(runtime.startsWith("msbuild:image failed unexpectedly: java.lang.IllegalStateException: broken")
        && runtime.contains("\n  Fix: run again with -e"), runtime);
  }
}
