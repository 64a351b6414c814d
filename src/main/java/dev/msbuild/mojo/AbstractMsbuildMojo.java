package dev.msbuild.mojo;

import dev.msbuild.config.AttestationSpec;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.DockerfileSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.NothingToBuild;
import dev.msbuild.config.Setting;
import dev.msbuild.pipeline.MultiStageBuild;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
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

  @Parameter(defaultValue = "${plugin}", readonly = true)
  org.apache.maven.plugin.descriptor.PluginDescriptor pluginDescriptor;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${settings}", readonly = true)
  Settings settings;

  @Component SettingsDecrypter decrypter;

  /** Skips the goal ({@code -Dmsbuild.skip}). */
  @Parameter(defaultValue = "false")
  boolean skip;

  /**
   * The builder stage, where the artifact is built from the builder image.
   * <ul>
   * <li>{@code image}: the builder image, by tag or digest; by default golang:&lt;go.mod's go&gt;-alpine
   *     ({@code -Dmsbuild.builder.image}).</li>
   * <li>{@code toolchain}: {@code image} (the default) or {@code host}, this machine's go
   *     ({@code -Dmsbuild.builder.toolchain}).</li>
   * <li>{@code mainPackage}: the package to build, {@code .} by default ({@code -Dmsbuild.builder.mainPackage}).</li>
   * <li>{@code output}: the binary's name, the artifactId by default ({@code -Dmsbuild.builder.output}).</li>
   * <li>{@code flags}: more {@code go build} flags, one per {@code <flag>} ({@code -Dmsbuild.builder.flags}).</li>
   * <li>{@code ldflags}: linker flags added to {@code -s -w}; ko's templates {@code {{.Git.FullCommit}}},
   *     {@code {{.Git.ShortCommit}}}, {@code {{.Date}}}, {@code {{.Timestamp}}} and {@code {{.Env.NAME}}} work here and
   *     in {@code flags} ({@code -Dmsbuild.builder.ldflags}).</li>
   * <li>{@code strip}: false drops the default {@code -s -w} ({@code -Dmsbuild.builder.strip}).</li>
   * <li>{@code env}: variables for the build, such as {@code CGO_ENABLED} ({@code -Dmsbuild.builder.env=K=v,...}).</li>
   * <li>{@code isolation}: {@code auto}, {@code direct}, {@code sandbox} or {@code host} ({@code -Dmsbuild.builder.isolation}).</li>
   * <li>{@code sandbox}: {@code auto}, {@code bwrap} or {@code unshare} ({@code -Dmsbuild.builder.sandbox}).</li>
   * <li>{@code command}: a shell command run in the builder image instead of go build ({@code -Dmsbuild.builder.command}).</li>
   * <li>{@code outputs}: the files a command makes, /out/... or an image path ({@code -Dmsbuild.builder.outputs}).</li>
   * <li>{@code network}: whether the build may use the network, true by default ({@code -Dmsbuild.builder.network}).</li>
   * <li>{@code timeout}: seconds the build may take ({@code -Dmsbuild.builder.timeout}).</li>
   * <li>{@code secrets}: {@code <secret>} values for the build, never logged or layered: {@code id} (the file
   *     /run/secrets/&lt;id&gt; and the variable), and {@code env} (a variable of this machine) or {@code server}
   *     (a settings.xml server's password) ({@code -Dmsbuild.builder.secrets}).</li>
   * <li>{@code maxEntries}, {@code maxBytes}: bounds on the builder image's layers ({@code -Dmsbuild.builder.maxEntries},
   *     {@code -Dmsbuild.builder.maxBytes}).</li>
   * </ul>
   */
  @Parameter BuilderParameters builder;

  /**
   * The base image of the final stage.
   * <ul>
   * <li>{@code image}: by tag or digest, or {@code scratch} (the default) ({@code -Dmsbuild.from.image}).</li>
   * <li>{@code auth}: {@code username} and {@code password} for its registry; a settings.xml server is better
   *     ({@code -Dmsbuild.from.auth.username}, {@code -Dmsbuild.from.auth.password}).</li>
   * <li>{@code credHelper}: a Docker credential helper, by name ({@code ecr-login}) or path; or {@code helper}
   *     with the {@code environment} it runs with ({@code -Dmsbuild.from.credHelper}).</li>
   * </ul>
   */
  @Parameter FromParameters from;

  /**
   * The target image.
   * <ul>
   * <li>{@code image}: registry/repository:tag that msbuild:image pushes to ({@code -Dmsbuild.to.image}).</li>
   * <li>{@code tags}: more tags, one per {@code <tag>} ({@code -Dmsbuild.to.tags}).</li>
   * <li>{@code auth}: {@code username} and {@code password}; a settings.xml server is better
   *     ({@code -Dmsbuild.to.auth.username}, {@code -Dmsbuild.to.auth.password}).</li>
   * <li>{@code credHelper}: a Docker credential helper, by name ({@code ecr-login}) or path; or {@code helper}
   *     with the {@code environment} it runs with ({@code -Dmsbuild.to.credHelper}).</li>
   * </ul>
   */
  @Parameter ToParameters to;

  /**
   * The final image's runtime configuration.
   * <ul>
   * <li>{@code entrypoint}: the command, the artifact by default ({@code -Dmsbuild.container.entrypoint}).</li>
   * <li>{@code args}: its arguments, the image's CMD ({@code -Dmsbuild.container.args}).</li>
   * <li>{@code environment}: variables ({@code -Dmsbuild.container.environment=K=v,...}).</li>
   * <li>{@code ports}: {@code 8080}, {@code 53/udp}, {@code 9000-9002} ({@code -Dmsbuild.container.ports}).</li>
   * <li>{@code labels}: labels, over the OCI labels from the pom ({@code -Dmsbuild.container.labels}).</li>
   * <li>{@code user}: user[:group], by name (checked against the image) or number ({@code -Dmsbuild.container.user}).</li>
   * <li>{@code workingDirectory}: an absolute path ({@code -Dmsbuild.container.workingDirectory}).</li>
   * <li>{@code volumes}: absolute paths ({@code -Dmsbuild.container.volumes}).</li>
   * <li>{@code format}: {@code Docker} (the default) or {@code OCI} manifests ({@code -Dmsbuild.container.format}).</li>
   * <li>{@code labelsFromPom}: OCI labels from the name, description, url, licenses and scm that the project's own pom (or a
   *     parent in the same build) declares, true by default ({@code -Dmsbuild.container.labelsFromPom}).</li>
   * </ul>
   */
  @Parameter ContainerParameters container;

  /**
   * Files copied from the builder stage into the image, like {@code COPY --from=builder}: each {@code <copy>}
   * has {@code from} (a path in the builder image, or /out/...), {@code to} (a path in the image; ending in /
   * keeps the name), and optionally {@code mode} (octal) and {@code owner} (uid:gid)
   * ({@code -Dmsbuild.copies=/from:/to,...}).
   */
  @Parameter List<CopyParameter> copies;

  /** Copies the builder image's CA bundle to /etc/ssl/certs/ca-certificates.crt ({@code -Dmsbuild.caCertificates}). */
  @Parameter(defaultValue = "false")
  boolean caCertificates;

  /** Copies the builder image's time zone database ({@code -Dmsbuild.zoneinfo}). */
  @Parameter(defaultValue = "false")
  boolean zoneinfo;

  /**
   * Where the builder stage's artifact goes in the image, an absolute file path such as /bin/node_exporter;
   * /app/&lt;output&gt; by default; the default entrypoint follows it ({@code -Dmsbuild.artifactPath}).
   */
  @Parameter String artifactPath;

  /** Adds a non-root user (uid/gid 65532) to /etc/passwd and /etc/group and runs as it ({@code -Dmsbuild.nonRootUser}). */
  @Parameter String nonRootUser;

  /**
   * Project files copied into the image, symlinks kept; src/main/image when it exists.
   * <ul>
   * <li>{@code paths}: each {@code <path>} a directory, or {@code from} with {@code into} (where it goes in the
   *     image) ({@code -Dmsbuild.extraDirectories.paths}).</li>
   * <li>{@code permissions}: each {@code <permission>} a {@code file} glob over image paths with the
   *     {@code mode} (octal) and {@code owner} (uid:gid) it gets ({@code -Dmsbuild.extraDirectories.permissions}).</li>
   * </ul>
   */
  @Parameter ExtraDirectoriesParameters extraDirectories;

  /**
   * A Java project's image.
   * <ul>
   * <li>{@code mainClass}: the class with main; by default the manifest's Start-Class, else its Main-Class unless a Spring Boot
   *     launcher, else the one class with main in target/classes ({@code -Dmsbuild.java.mainClass}).</li>
   * <li>{@code jvmFlags}: JVM options for the entrypoint ({@code -Dmsbuild.java.jvmFlags}).</li>
   * <li>{@code mode}: {@code exploded} (classes, resources and dependencies as layers) or {@code packaged}
   *     (the jar) ({@code -Dmsbuild.java.mode}).</li>
   * <li>{@code jlink}: a runtime of only the app's modules, made in the JDK builder image: {@code enabled},
   *     {@code modules} (instead of those jdeps finds), {@code addModules} (linked as well), {@code compress}
   *     ({@code -Dmsbuild.java.jlink}, {@code -Dmsbuild.java.jlink.modules}, {@code -Dmsbuild.java.jlink.addModules},
   *     {@code -Dmsbuild.java.jlink.compress}).</li>
   * </ul>
   */
  @Parameter JavaParameters java;

  /**
   * What msbuild:tar writes: {@code format} is {@code docker} (a docker load archive, the default) or
   * {@code oci} (an OCI image layout) ({@code -Dmsbuild.tar.format}).
   */
  @Parameter TarParameters tar;

  /**
   * The SBOM attached to each pushed image as an OCI referrer: {@code format} is {@code spdx} (SPDX 2.3 JSON, the default),
   * {@code cyclonedx} (CycloneDX 1.6 JSON) or {@code none} ({@code -Dmsbuild.sbom.format}).
   */
  @Parameter SbomParameters sbom;

  /**
   * Signs each pushed image, and its SBOM and provenance as attestations, so that {@code cosign verify --key} and
   * {@code cosign verify-attestation --key} pass: {@code key} is the path of an unencrypted ECDSA P-256 PEM key
   * ({@code -Dmsbuild.sign.key}), or {@code serverId} a settings.xml server whose {@code <privateKey>} is one
   * ({@code -Dmsbuild.sign.serverId}). Keyless signing is not offered: it needs the public Sigstore services.
   */
  @Parameter SignParameters sign;

  /** Attaches an in-toto SLSA v1 provenance statement to each pushed image ({@code -Dmsbuild.provenance}). */
  @Parameter(defaultValue = "true")
  boolean provenance;

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

  /**
   * A registry repository that every runner shares as its build cache: a runner with an empty
   * {@code cacheDirectory} imports the builder stage's results, jlink runtimes, written layers and
   * Go's build and module caches before it compiles, and exports what it made after the build.
   * <ul>
   * <li>{@code registry}: the repository, e.g. {@code registry.example.com/team/app-cache} ({@code -Dmsbuild.cache.registry}).</li>
   * <li>{@code mode}: {@code readwrite} (the default), {@code read} (import only, for pull requests) or {@code off}
   *     ({@code -Dmsbuild.cache.mode}).</li>
   * <li>{@code maxBytes}: the size of one Go cache in the registry past which it keeps only the most recently used
   *     files (2g by default) ({@code -Dmsbuild.cache.maxBytes}).</li>
   * <li>{@code auth}: its {@code username} and {@code password}, as for {@code <to>} ({@code -Dmsbuild.cache.auth.username},
   *     {@code -Dmsbuild.cache.auth.password}); settings.xml servers and the Docker config serve it too.</li>
   * <li>{@code credHelper}: a Docker credential helper, by name ({@code ecr-login}) or path; or {@code helper}
   *     with the {@code environment} it runs with ({@code -Dmsbuild.cache.credHelper}).</li>
   * </ul>
   */
  @Parameter CacheParameters cache;

  /** Builder images, blobs and Go caches ({@code -Dmsbuild.cacheDirectory}); ~/.cache/msbuild by default. */
  @Parameter File cacheDirectory;

  /**
   * A Dockerfile to build as it is written, in place of the builder and final-stage settings
   * ({@code -Dmsbuild.dockerfile}): its path relative to the project's directory. Its stages run
   * here, daemonless, RUN in the sandbox; COPY and ADD read {@code sourceDirectory}, the build
   * context, less what its {@code .dockerignore} leaves out.
   */
  @Parameter String dockerfile;

  /** The Dockerfile stage to build, by name or number ({@code -Dmsbuild.target}); the last one by default. */
  @Parameter String target;

  /** Values for the Dockerfile's ARGs ({@code -Dmsbuild.buildArgs=NAME=value,OTHER=value}). */
  @Parameter Map<String, String> buildArgs;

  /** The project's source, the builder stage's build context ({@code -Dmsbuild.sourceDirectory}). */
  @Parameter(defaultValue = "${project.basedir}")
  File sourceDirectory;

  /** Where the artifact and image outputs go. */
  @Parameter(defaultValue = "${project.build.directory}/msbuild")
  File outputDirectory;

  private static final String MAVEN4_DEFAULT_OUTPUT_TIMESTAMP = "1980-02-01T00:00:00Z";

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    UserProperties props = new UserProperties(session.getUserProperties(), session.getSystemProperties(), projectProperties());
    String goal = "msbuild:" + goal();
    if (props.bool(Setting.SKIP, skip)) {
      getLog().info("Skipping " + goal + ": " + Setting.SKIP + " is true.");
      return;
    }
    Optional<String> parentOnly = NothingToBuild.why(parentFacts(props));
    if (parentOnly.isPresent()) {
      getLog().info("Skipping " + goal + ": " + parentOnly.get());
      return;
    }
    BuildLog log = new MavenBuildLog(getLog(), session.isParallel() ? "[" + project.getArtifactId() + "] " : "");
    try {
      BuildPlan plan = PlanFactory.create(inputs(), props).offline(session.isOffline())
          .updateTags(session.getRequest() != null && session.getRequest().isUpdateSnapshots());
      Optional<DockerfileSpec> dockerfileSpec = DockerfilePlan.create(dockerfile, target, buildArgs, props,
          project.getBasedir().toPath(), plan.sourceDirectory());
      run(new MultiStageBuild(plan, attestation(props, plan), CachePlan.create(cache, props), dockerfileSpec, log), log);
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

  private AttestationSpec attestation(UserProperties props, BuildPlan plan) {
    org.apache.maven.model.Plugin self = project.getBuild().getPluginsAsMap().get(PLUGIN_KEY);
    Object configuration = self == null ? null : self.getConfiguration();
    return AttestationPlan.create(props, sbom == null ? null : sbom.format, provenance, plan.container().created(),
        PLUGIN_KEY + ":" + pluginVersion(), project.getGroupId() + ":" + project.getArtifactId() + ":" + project.getVersion(),
        session.getGoals(), configuration instanceof org.codehaus.plexus.util.xml.Xpp3Dom dom ? dom : null,
        session.getUserProperties(), project.getBasedir().toPath(),
        AttestationPlan.signingKey(props, sign == null ? null : sign.key, sign == null ? null : sign.serverId,
            project.getBasedir().toPath(), this::serverPrivateKey));
  }

  private Optional<String> serverPrivateKey(String id) {
    return settings == null ? Optional.empty() : Optional.ofNullable(settings.getServer(id))
        .map(org.apache.maven.settings.Server::getPrivateKey).filter(k -> !k.isBlank());
  }

  static final String PLUGIN_KEY = "dev.msbuild:msbuild-maven-plugin";

  private String pluginVersion() {
    return pluginDescriptor == null ? "unknown" : pluginDescriptor.getVersion();
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
        new FinalStagePlan.Parameters(copies, caCertificates, zoneinfo, nonRootUser, extraDirectories, artifactPath),
        tar, sendCredentialsOverHttp, servers::credential, pomProject(), java, javaProject());
  }

  /** What tells a parent or aggregator pom from a project with something to build. */
  private NothingToBuild.Project parentFacts(UserProperties props) {
    Path source = Path.of(props.string(Setting.SOURCE_DIRECTORY, sourceDirectory.toString())).toAbsolutePath().normalize();
    String mainPackage = props.string(Setting.BUILDER_MAIN_PACKAGE, builder == null ? null : builder.mainPackage);
    mainPackage = mainPackage == null || mainPackage.isBlank() ? "." : mainPackage.trim();
    String command = props.string(Setting.BUILDER_COMMAND, builder == null ? null : builder.command);
    boolean javaSet = java != null || props.get(Setting.JAVA_MAIN_CLASS).isPresent() || props.get(Setting.JAVA_JLINK).isPresent();
    List<Path> roots = new ArrayList<>();
    for (String root : project.getCompileSourceRoots()) {
      roots.add(Path.of(root));
    }
    return new NothingToBuild.Project(project.getArtifactId(), project.getPackaging(), project.getModules(),
        source.resolve(mainPackage).normalize(), command != null && !command.isBlank(), javaSet, roots);
  }

  /** The project as a Java build sees it: packaging, classes, the jar, the runtime classpath. */
  private JavaPlan.Project javaProject() {
    List<JavaPlan.Jar> jars = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      String scope = artifact.getScope();
      boolean runtime = scope == null || Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope)
          || Artifact.SCOPE_SYSTEM.equals(scope);
      if (runtime && artifact.getFile() != null && artifact.getArtifactHandler().isAddedToClasspath()) {
        jars.add(new JavaPlan.Jar(artifact.getFile().toPath(), artifact.getGroupId(), artifact.getArtifactId(),
            artifact.getVersion(), artifact.isSnapshot()));
      }
    }
    File jar = project.getArtifact() == null ? null : project.getArtifact().getFile();
    if (jar == null || !jar.isFile()) {
      jar = new File(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ".jar");
    }
    String release = compilerRelease(project);
    return new JavaPlan.Project(project.getPackaging(), Path.of(project.getBuild().getOutputDirectory()),
        Optional.of(jar.toPath()), jars, Optional.ofNullable(release));
  }

  private static final String COMPILER_PLUGIN = "org.apache.maven.plugins:maven-compiler-plugin";

  /**
   * The Java release the project compiles for, as maven-compiler-plugin decides it: its
   * {@code <release>} (in the plugin's configuration or its default-compile execution's), else
   * {@code maven.compiler.release}, else {@code <target>}, else {@code maven.compiler.target}.
   */
  static String compilerRelease(MavenProject project) {
    org.apache.maven.model.Plugin compiler = project.getPlugin(COMPILER_PLUGIN);
    java.util.Properties properties = project.getProperties();
    for (String name : List.of("release", "target")) {
      String configured = compilerConfiguration(compiler, name);
      if (configured != null) {
        return configured;
      }
      String property = properties.getProperty("maven.compiler." + name);
      if (property != null && !property.isBlank()) {
        return property.trim();
      }
    }
    return null;
  }

  private static String compilerConfiguration(org.apache.maven.model.Plugin compiler, String name) {
    if (compiler == null) {
      return null;
    }
    List<Object> configurations = new ArrayList<>();
    for (org.apache.maven.model.PluginExecution execution : compiler.getExecutions()) {
      if ("default-compile".equals(execution.getId())) {
        configurations.add(execution.getConfiguration());
      }
    }
    configurations.add(compiler.getConfiguration());
    for (Object configuration : configurations) {
      if (configuration instanceof org.codehaus.plexus.util.xml.Xpp3Dom dom && dom.getChild(name) != null) {
        String value = dom.getChild(name).getValue();
        // An expression left as it is names a property nobody set: the compiler's default then.
        if (value != null && !value.isBlank() && !value.contains("${")) {
          return value.trim();
        }
      }
    }
    return null;
  }

  private PomLabels.Project pomProject() {
    java.util.Set<String> reactor = new java.util.HashSet<>();
    if (session != null && session.getProjects() != null) {
      session.getProjects().forEach(p -> reactor.add(p.getId()));
    }
    return pomProject(project, reactor, declaredOutputTimestamp());
  }

  /**
   * The pom's label fields, each only when the project declares it: in its own pom, or in a parent
   * that is part of the same build (a multi-module project's root). What a parent from a
   * repository declares (spring-boot-starter-parent's description and license, a made-up URL
   * with the artifactId appended) describes that parent, not this image.
   */
  static PomLabels.Project pomProject(MavenProject project, java.util.Set<String> reactor, String outputTimestamp) {
    List<String> licenses = new ArrayList<>();
    if (declared(project, reactor, m -> m.getLicenses() != null && !m.getLicenses().isEmpty())) {
      for (License license : project.getLicenses()) {
        if (license.getName() != null && !license.getName().isBlank()) {
          licenses.add(license.getName());
        }
      }
    }
    return new PomLabels.Project(
        declared(project, reactor, m -> m.getName() != null) ? project.getName() : null,
        project.getArtifactId(),
        declared(project, reactor, m -> m.getDescription() != null) ? project.getDescription() : null,
        project.getVersion(),
        declared(project, reactor, m -> m.getUrl() != null) ? project.getUrl() : null,
        project.getScm() != null && declared(project, reactor, m -> m.getScm() != null && m.getScm().getUrl() != null)
            ? project.getScm().getUrl() : null,
        licenses, outputTimestamp, project.getBasedir().toPath());
  }

  /** Whether the project's own pom, or that of a parent in the same build, declares the field. */
  private static boolean declared(MavenProject project, java.util.Set<String> reactor,
      java.util.function.Predicate<org.apache.maven.model.Model> declares) {
    for (MavenProject p = project; p != null; p = p.getParent()) {
      if (p != project && !reactor.contains(p.getId())) {
        return false;
      }
      org.apache.maven.model.Model original = p.getOriginalModel();
      if (original != null && declares.test(original)) {
        return true;
      }
    }
    return false;
  }

  /** The project's properties, without a project.build.outputTimestamp that only Maven 4's super POM set. */
  private java.util.Properties projectProperties() {
    java.util.Properties properties = project.getProperties();
    if (properties.containsKey("project.build.outputTimestamp") && declaredOutputTimestamp() == null) {
      properties = (java.util.Properties) properties.clone();
      properties.remove("project.build.outputTimestamp");
    }
    return properties;
  }

  /**
   * {@code project.build.outputTimestamp} when the project or one of its parents sets it. Maven 4's
   * super POM sets it to 1980-02-01 for every project; that default is taken as Maven 3's absence,
   * so SOURCE_DATE_EPOCH and the epoch default apply alike under both and give one digest.
   */
  private String declaredOutputTimestamp() {
    String value = project.getProperties().getProperty("project.build.outputTimestamp");
    if (value == null || !MAVEN4_DEFAULT_OUTPUT_TIMESTAMP.equals(value.trim())) {
      return value;
    }
    for (MavenProject p = project; p != null; p = p.getParent()) {
      if (p.getOriginalModel() != null && p.getOriginalModel().getProperties().containsKey("project.build.outputTimestamp")) {
        return value;
      }
    }
    return null;
  }
}
