package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.pipeline.MultiStageBuild;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.artifact.Artifact;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.License;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.project.MavenProject;

/**
 * What the goals share: the configuration, {@code skip}, and the one place where failures become
 * Maven failures. Every {@code -D} name lives in {@link Setting}.
 */
abstract class AbstractMsbuildMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${settings}", readonly = true)
  Settings settings;

  @Component SettingsDecrypter decrypter;

  /** Skips the goal ({@code -Dmsbuild.skip}). */
  @Parameter(defaultValue = "false")
  boolean skip;

  /** The builder stage. */
  @Parameter BuilderParameters builder;

  /** The base image ({@code scratch} by default). */
  @Parameter FromParameters from;

  /** The target image. */
  @Parameter ToParameters to;

  /** The final image's runtime configuration. */
  @Parameter ContainerParameters container;

  /** Files copied from the builder stage into the image, like {@code COPY --from=builder} ({@code -Dmsbuild.copies=/from:/to,...}). */
  @Parameter List<CopyParameter> copies;

  /** Copies the builder image's CA bundle to /etc/ssl/certs/ca-certificates.crt ({@code -Dmsbuild.caCertificates}). */
  @Parameter(defaultValue = "false")
  boolean caCertificates;

  /** Copies the builder image's time zone database ({@code -Dmsbuild.zoneinfo}). */
  @Parameter(defaultValue = "false")
  boolean zoneinfo;

  /** Adds a non-root user (uid/gid 65532) to /etc/passwd and /etc/group and runs as it ({@code -Dmsbuild.nonRootUser}). */
  @Parameter String nonRootUser;

  /** Project directories copied into the image; src/main/image when it exists ({@code -Dmsbuild.extraDirectories.paths}). */
  @Parameter ExtraDirectoriesParameters extraDirectories;

  /** A Java project's image: main class, JVM flags, layout and a jlink runtime. */
  @Parameter JavaParameters java;

  /** What msbuild:tar writes: docker or oci ({@code -Dmsbuild.tar.format}). */
  @Parameter TarParameters tar;

  /** Sends registry credentials over plain HTTP; only for registries you trust ({@code -Dmsbuild.sendCredentialsOverHttp}). */
  @Parameter(defaultValue = "false")
  boolean sendCredentialsOverHttp;

  /** The target platform, os/arch[/variant] ({@code -Dmsbuild.platform}); linux/amd64 by default. */
  @Parameter String platform;

  /** Several target platforms: one image index ({@code -Dmsbuild.platforms=linux/amd64,linux/arm64}). */
  @Parameter List<String> platforms;

  /** Allows plain HTTP and unverified HTTPS registries ({@code -Dmsbuild.allowInsecureRegistries}). */
  @Parameter(defaultValue = "false")
  boolean allowInsecureRegistries;

  /** Registry mirrors, {@code registry=mirror} ({@code -Dmsbuild.registryMirrors}, comma list). */
  @Parameter List<String> registryMirrors;

  /** Builder images, blobs and Go caches ({@code -Dmsbuild.cacheDirectory}); ~/.cache/msbuild by default. */
  @Parameter File cacheDirectory;

  /** The project's source, the builder stage's build context ({@code -Dmsbuild.sourceDirectory}). */
  @Parameter(defaultValue = "${project.basedir}")
  File sourceDirectory;

  /** Where the artifact and image outputs go. */
  @Parameter(defaultValue = "${project.build.directory}/msbuild")
  File outputDirectory;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    UserProperties props = new UserProperties(session.getUserProperties(), project.getProperties());
    String goal = "msbuild:" + goal();
    if (props.bool(Setting.SKIP, skip)) {
      getLog().info("Skipping " + goal + ": " + Setting.SKIP + " is true.");
      return;
    }
    BuildLog log = new MavenBuildLog(getLog(), session.isParallel() ? "[" + project.getArtifactId() + "] " : "");
    try {
      BuildPlan plan = PlanFactory.create(inputs(), props).offline(session.isOffline());
      run(new MultiStageBuild(plan, log), log);
    } catch (MsbuildException e) {
      throw new MojoFailureException(goal + " failed: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      throw unexpected(goal, e);
    }
  }

  /**
   * Anything but an {@link MsbuildException} as a Maven failure users can act on: what happened,
   * in which goal, and what to do, rather than a bare stack trace. An {@link Error} is caught too:
   * once its stack has unwound, what the build held is free again, and the message can be made.
   */
  static MojoExecutionException unexpected(String goal, Throwable thrown) {
    Throwable error = thrown;
    while (!(error instanceof Error) && error.getCause() != null && error.getCause() != error) {
      error = error.getCause(); // a worker thread's Error arrives wrapped
    }
    String text;
    if (error instanceof OutOfMemoryError) {
      long heap = Runtime.getRuntime().maxMemory();
      long suggested = Math.max(2, (2 * heap + (1L << 30) - 1) >> 30);
      text = goal + " failed: the JVM ran out of memory (" + error + "); Maven's heap is at most "
          + String.format("%,d MB", heap >> 20) + "."
          + "\n  Fix: give Maven more heap, for example MAVEN_OPTS=-Xmx" + suggested + "g (or -Xmx" + suggested + "g in "
          + ".mvn/jvm.config). If it ran out while reading an image, the image may be made to exhaust memory: a builder "
          + "image is unpacked within " + Setting.BUILDER_MAX_ENTRIES + " and " + Setting.BUILDER_MAX_BYTES
          + ", which you can lower, and a base image is read within fixed bounds; run again with -e to see where.";
    } else if (error instanceof StackOverflowError) {
      text = goal + " failed: the JVM ran out of stack (" + error + ")."
          + "\n  Fix: give Maven's threads more stack, for example MAVEN_OPTS=-Xss8m; if it persists, run again with -e and "
          + "report it with that output.";
    } else if (error instanceof Error) {
      text = goal + " failed with an internal error: " + error
          + "\n  Fix: a LinkageError (NoClassDefFoundError, NoSuchMethodError) usually means that another plugin or a Maven "
          + "extension put a different version of a library on this plugin's class path; run again with -e to see where, "
          + "and report it with that output.";
    } else {
      text = goal + " failed unexpectedly: " + thrown
          + "\n  Fix: run again with -e to see where; if it persists, report it with that output.";
    }
    return new MojoExecutionException(text, thrown);
  }

  /** The goal's name, for messages. */
  abstract String goal();

  abstract void run(MultiStageBuild build, BuildLog log);

  private PlanFactory.Inputs inputs() {
    SettingsServers servers = new SettingsServers(settings, decrypter);
    return new PlanFactory.Inputs(
        builder, from, to, container, platform, allowInsecureRegistries, registryMirrors,
        cacheDirectory == null ? null : cacheDirectory.toPath(),
        sourceDirectory.toPath(), outputDirectory.toPath(), project.getArtifactId(), project.getVersion(),
        System::getenv, servers::password, platforms,
        new FinalStagePlan.Parameters(copies, caCertificates, zoneinfo, nonRootUser, extraDirectories),
        tar, sendCredentialsOverHttp, servers::credential, pomProject(), java, javaProject());
  }

  /** The project as a Java build sees it: packaging, classes, the jar, the runtime classpath. */
  private JavaPlan.Project javaProject() {
    List<JavaPlan.Jar> jars = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      String scope = artifact.getScope();
      boolean runtime = scope == null || Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope)
          || Artifact.SCOPE_SYSTEM.equals(scope);
      if (runtime && artifact.getFile() != null && artifact.getArtifactHandler().isAddedToClasspath()) {
        jars.add(new JavaPlan.Jar(artifact.getFile().toPath(), artifact.getGroupId(), artifact.getArtifactId(), artifact.isSnapshot()));
      }
    }
    File jar = project.getArtifact() == null ? null : project.getArtifact().getFile();
    if (jar == null || !jar.isFile()) {
      jar = new File(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ".jar");
    }
    String release = project.getProperties().getProperty("maven.compiler.release",
        project.getProperties().getProperty("maven.compiler.target"));
    return new JavaPlan.Project(project.getPackaging(), Path.of(project.getBuild().getOutputDirectory()),
        Optional.of(jar.toPath()), jars, Optional.ofNullable(release));
  }

  private PomLabels.Project pomProject() {
    List<String> licenses = new ArrayList<>();
    if (project.getLicenses() != null) {
      for (License license : project.getLicenses()) {
        if (license.getName() != null && !license.getName().isBlank()) {
          licenses.add(license.getName());
        }
      }
    }
    return new PomLabels.Project(
        project.getName(), project.getArtifactId(), project.getDescription(), project.getVersion(), project.getUrl(),
        project.getScm() == null ? null : project.getScm().getUrl(), licenses,
        project.getProperties().getProperty("project.build.outputTimestamp"), project.getBasedir().toPath());
  }
}
