package dev.msbuild.mojo;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.CredentialHelper;
import dev.msbuild.config.ContainerSpec;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.GoFlagTemplates;
import dev.msbuild.config.GoModule;
import dev.msbuild.config.JavaSpec;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.TarFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the pom configuration and the {@code -D} overrides into a validated {@link BuildPlan}, so
 * that every mistake is reported before anything is pulled or compiled.
 */
final class PlanFactory {
  private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/(tcp|udp))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?");
  private static final Pattern HELPER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  /** A helper given by path: absolute, no spaces or shell characters. */
  private static final Pattern PATH_HELPER = Pattern.compile("/[A-Za-z0-9_./+-]+");

  /** What the Mojo knows: its configuration, the project and the properties. */
  record Inputs(
      BuilderParameters builder,
      FromParameters from,
      ToParameters to,
      ContainerParameters container,
      String platform,
      boolean allowInsecureRegistries,
      List<String> registryMirrors,
      Path cacheDirectory,
      Path sourceDirectory,
      Path outputDirectory,
      String artifactId,
      String version,
      java.util.function.Function<String, String> environment,
      java.util.function.Function<String, Optional<String>> serverPasswords,
      List<String> platforms,
      FinalStagePlan.Parameters finalStage,
      TarParameters tar,
      boolean sendCredentialsOverHttp,
      RegistryOptions.ServerCredentials servers,
      PomLabels.Project project,
      JavaParameters java,
      JavaPlan.Project javaProject) {

    /** The inputs of a project with no final-stage or publishing settings (tests). */
    Inputs(
        BuilderParameters builder,
        FromParameters from,
        ToParameters to,
        ContainerParameters container,
        String platform,
        boolean allowInsecureRegistries,
        List<String> registryMirrors,
        Path cacheDirectory,
        Path sourceDirectory,
        Path outputDirectory,
        String artifactId,
        String version,
        java.util.function.Function<String, String> environment,
        java.util.function.Function<String, Optional<String>> serverPasswords) {
      this(builder, from, to, container, platform, allowInsecureRegistries, registryMirrors, cacheDirectory,
          sourceDirectory, outputDirectory, artifactId, version, environment, serverPasswords, null,
          new FinalStagePlan.Parameters(null, false, false, null, null), null, false,
          RegistryOptions.ServerCredentials.NONE,
          new PomLabels.Project(null, artifactId, null, version, null, null, List.of(), null, sourceDirectory), null, null);
    }
  }

  private PlanFactory() {}

  /** The go build flags that take a value, which may follow as the next word ({@code -tags netgo}). */
  private static final java.util.Set<String> GO_VALUE_FLAGS = java.util.Set.of(
      "p", "C", "covermode", "coverpkg", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags", "installsuffix",
      "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "o", "exec");

  /**
   * {@code go build} flags: each starts with a dash, or is the value of the flag before it. Another
   * word is most often the second half of a flag that a comma in {@code -Dmsbuild.builder.flags}
   * split, and go would take it for a package to build, blaming the main package.
   */
  static List<String> goFlags(List<String> flags) {
    for (int i = 0; i < flags.size(); i++) {
      String flag = flags.get(i);
      String before = i == 0 ? "" : flags.get(i - 1);
      String beforeName = before.replaceFirst("^--?", "");
      boolean valueOfBefore = before.startsWith("-") && !before.contains("=") && GO_VALUE_FLAGS.contains(beforeName);
      if (!flag.startsWith("-") && !valueOfBefore) {
        throw new MsbuildException(
            "'" + flag + "' in " + Setting.BUILDER_FLAGS + " is not a go build flag"
                + (i == 0 ? "" : " (it follows '" + before + "')") + ": flags start with '-'.",
            Setting.BUILDER_FLAGS,
            "give a flag and its value as one item, -tags=a,b; with -D" + Setting.BUILDER_FLAGS.property()
                + ", where commas separate flags, quote the flag whole (\"-tags=a,b\") or escape its commas (-tags=a\\,b).");
      }
    }
    return flags;
  }

  static BuildPlan create(Inputs in, UserProperties props) {
    BuilderParameters builder = in.builder() == null ? new BuilderParameters() : in.builder();
    FromParameters from = in.from() == null ? new FromParameters() : in.from();
    ToParameters to = in.to() == null ? new ToParameters() : in.to();
    ContainerParameters container = in.container() == null ? new ContainerParameters() : in.container();

    Path source = Path.of(props.string(Setting.SOURCE_DIRECTORY, in.sourceDirectory().toString())).toAbsolutePath().normalize();

    Optional<ImageName> toImage = image(props.string(Setting.TO_IMAGE, to.image), Setting.TO_IMAGE);
    List<String> tags = props.list(Setting.TO_TAGS, to.tags);
    for (String tag : tags) {
      ImageName.checkTag(tag, Setting.TO_TAGS);
    }
    String command = props.string(Setting.BUILDER_COMMAND, builder.command);
    Optional<String> commandLine = command == null || command.isBlank() ? Optional.empty() : Optional.of(command.trim());
    Optional<JavaSpec> java = JavaPlan.create(in.java(), in.javaProject(), source, commandLine.isPresent(), props);
    Optional<String> release = in.javaProject() == null ? Optional.empty() : in.javaProject().release();
    String fromText = props.string(Setting.FROM_IMAGE, from.image);
    if ((fromText == null || fromText.isBlank()) && java.isPresent() && java.get().jlink().isEmpty()) {
      // As Jib: a JRE image for the project's release; scratch cannot run a jar.
      fromText = JavaPlan.defaultBase(release);
    }
    Optional<ImageName> fromImage =
        fromText == null || fromText.isBlank() || fromText.trim().equals("scratch")
            ? Optional.empty()
            : Optional.of(ImageName.parse(fromText, Setting.FROM_IMAGE));

    String mainPackage = props.string(Setting.BUILDER_MAIN_PACKAGE, builder.mainPackage);
    mainPackage = mainPackage == null || mainPackage.isBlank() ? "." : mainPackage.trim();
    Path packageDir = source.resolve(mainPackage).normalize();
    String builderText = props.string(Setting.BUILDER_IMAGE, builder.image);
    Optional<String> imageOrigin = Optional.empty();
    if ((builderText == null || builderText.isBlank()) && java.isPresent()) {
      builderText = JavaPlan.defaultBuilder(release);
      imageOrigin = Optional.of("(the default for Java" + release.map(r -> " release " + r).orElse("") + ")");
    } else if (builderText == null || builderText.isBlank()) {
      Optional<Path> goMod = GoModule.find(packageDir);
      Optional<GoModule.GoLine> line = goMod.flatMap(GoModule::goLine);
      builderText = GoModule.defaultBuilderImage(line.map(GoModule.GoLine::version));
      imageOrigin = Optional.of(line.isPresent()
          ? "from " + shown(source, goMod.get()) + " line " + line.get().number() + ": " + line.get().text()
          : goMod.isPresent() ? "(the default: " + shown(source, goMod.get()) + " has no go line)" : "(the default: no go.mod)");
    }
    ImageName builderImage = ImageName.parse(builderText, Setting.BUILDER_IMAGE);
    BuilderSpec.Isolation isolation =
        isolation(
            props.string(Setting.BUILDER_ISOLATION, builder.isolation),
            props.string(Setting.BUILDER_TOOLCHAIN, builder.toolchain));
    String output = props.string(Setting.BUILDER_OUTPUT, builder.output);
    output = output == null || output.isBlank() ? in.artifactId() : output.trim();
    if (!OUTPUT_NAME.matcher(output).matches()) {
      throw new MsbuildException(
          "The artifact name '" + output + "' is not a plain file name.",
          Setting.BUILDER_OUTPUT,
          "use letters, digits, '.', '_' and '-' only, for example 'webserver'.");
    }
    Optional<Instant> created =
        PomLabels.outputTimestamp(props.string(Setting.OUTPUT_TIMESTAMP, in.project().outputTimestamp()))
            .or(() -> PomLabels.sourceDateEpoch(in.environment().apply("SOURCE_DATE_EPOCH")));
    Optional<String> revision = GitRevision.of(in.project().basedir());
    GoFlagTemplates templates = new GoFlagTemplates(revision,
        created.or(() -> revision.flatMap(r -> GitRevision.commitTime(in.project().basedir()))).orElse(Instant.EPOCH),
        in.environment());
    String ldflags = props.string(Setting.BUILDER_LDFLAGS, builder.ldflags);
    ldflags = ldflags == null ? "" : templates.expand(ldflags.trim(), Setting.BUILDER_LDFLAGS);
    List<String> goFlags = props.list(Setting.BUILDER_FLAGS, builder.flags).stream()
        .map(f -> templates.expand(f, Setting.BUILDER_FLAGS)).toList();
    boolean strip = props.bool(Setting.BUILDER_STRIP, builder.strip == null || builder.strip);
    Map<String, String> builderEnv = props.map(Setting.BUILDER_ENV, builder.env);
    checkEnvNames(builderEnv, Setting.BUILDER_ENV);
    List<String> outputs = outputs(props.list(Setting.BUILDER_OUTPUTS, builder.outputs), commandLine.isPresent());
    if (commandLine.isPresent() && isolation == BuilderSpec.Isolation.DIRECT) {
      throw new MsbuildException(
          "A builder <command> runs in the builder image's own userland, which direct isolation does not provide.",
          Setting.BUILDER_ISOLATION,
          "set " + Setting.BUILDER_ISOLATION + " to sandbox (or auto, which picks sandbox for a command), or drop "
              + Setting.BUILDER_COMMAND + " to run the default Go build directly.");
    }
    if (commandLine.isPresent() && isolation == BuilderSpec.Isolation.HOST) {
      throw new MsbuildException(
          "A builder <command> runs in the builder image; host isolation only runs the Go build with this machine's go.",
          Setting.BUILDER_ISOLATION,
          "set " + Setting.BUILDER_ISOLATION + " to sandbox or auto, or drop " + Setting.BUILDER_COMMAND + ".");
    }
    String timeoutText = props.string(Setting.BUILDER_TIMEOUT, builder.timeout == null ? null : builder.timeout.toString());
    BuilderSpec go =
        new BuilderSpec(
            builderImage,
            isolation,
            sandboxTool(props.string(Setting.BUILDER_SANDBOX, builder.sandbox)),
            commandLine,
            outputs,
            mainPackage,
            output,
            goFlags(goFlags),
            ldflags,
            builderEnv,
            props.bool(Setting.BUILDER_NETWORK, builder.network == null || builder.network),
            Duration.ofSeconds(positive(timeoutText, 3600, Setting.BUILDER_TIMEOUT, "seconds, for example 600")),
            secrets(builder.secrets, in.environment(), in.serverPasswords()),
            new BuilderSpec.UnpackLimits(
                positive(props.string(Setting.BUILDER_MAX_ENTRIES, builder.maxEntries == null ? null : builder.maxEntries.toString()),
                    BuilderSpec.UnpackLimits.DEFAULT.maxEntries(), Setting.BUILDER_MAX_ENTRIES, "a number of tar entries, for example 1000000"),
                bytes(props.string(Setting.BUILDER_MAX_BYTES, builder.maxBytes))),
            strip,
            revision,
            imageOrigin);
    checkCgo(go);

    String platformText = props.string(Setting.PLATFORM, in.platform());
    List<Platform> platforms = new java.util.ArrayList<>();
    for (String text : props.list(Setting.PLATFORMS, in.platforms())) {
      Platform one = Platform.parse(text, Setting.PLATFORMS);
      if (platforms.contains(one)) {
        throw new MsbuildException(
            one + " is listed twice.", Setting.PLATFORMS, "list each platform once, for example linux/amd64,linux/arm64.");
      }
      platforms.add(one);
    }
    if (!platforms.isEmpty() && platformText != null && !platformText.isBlank()) {
      throw new MsbuildException(
          "Both " + Setting.PLATFORM.xml() + " and " + Setting.PLATFORMS.xml() + " are set.",
          Setting.PLATFORMS,
          "use " + Setting.PLATFORMS + " alone; one entry builds a single-platform image.");
    }
    Platform platform =
        !platforms.isEmpty() ? platforms.get(0)
            : platformText == null || platformText.isBlank() ? Platform.LINUX_AMD64 : Platform.parse(platformText, Setting.PLATFORM);
    if (platforms.isEmpty()) {
      platforms.add(platform);
    }

    if (java.isPresent() && java.get().jlink().isPresent()) {
      checkJlink(isolation, platforms);
    }

    Map<String, String> labels = new LinkedHashMap<>();
    if (props.bool(Setting.CONTAINER_LABELS_FROM_POM, container.labelsFromPom == null || container.labelsFromPom)) {
      labels.putAll(PomLabels.labels(in.project(), created));
    }
    labels.putAll(labels(props.map(Setting.CONTAINER_LABELS, container.labels)));
    ContainerSpec spec =
        new ContainerSpec(
            props.list(Setting.CONTAINER_ENTRYPOINT, container.entrypoint),
            props.list(Setting.CONTAINER_ARGS, container.args),
            checkEnvNames(props.map(Setting.CONTAINER_ENVIRONMENT, container.environment), Setting.CONTAINER_ENVIRONMENT),
            ports(props.list(Setting.CONTAINER_PORTS, container.ports)),
            labels,
            user(props.string(Setting.CONTAINER_USER, container.user)),
            workingDirectory(props.string(Setting.CONTAINER_WORKING_DIRECTORY, container.workingDirectory)),
            volumes(props.list(Setting.CONTAINER_VOLUMES, container.volumes)),
            choice(defaulted(props.string(Setting.CONTAINER_FORMAT, container.format), "docker"), ImageFormat.class,
                Setting.CONTAINER_FORMAT, "use Docker (the default) or OCI."),
            created);

    RegistryOptions registries =
        new RegistryOptions(
            props.bool(Setting.ALLOW_INSECURE_REGISTRIES, in.allowInsecureRegistries()),
            props.bool(Setting.SEND_CREDENTIALS_OVER_HTTP, in.sendCredentialsOverHttp()),
            RegistryOptions.parseMirrors(props.list(Setting.REGISTRY_MIRRORS, in.registryMirrors())),
            in.servers(),
            dockerConfigs(in.environment()), false, false);
    RegistryAuth fromAuth = auth(from.auth, from.credHelper, props, Setting.FROM_AUTH, Setting.FROM_AUTH_PASSWORD, Setting.FROM_CRED_HELPER);
    RegistryAuth toAuth = auth(to.auth, to.credHelper, props, Setting.TO_AUTH, Setting.TO_AUTH_PASSWORD, Setting.TO_CRED_HELPER);
    TarFormat tarFormat =
        choice(defaulted(props.string(Setting.TAR_FORMAT, in.tar() == null ? null : in.tar().format), "docker"),
            TarFormat.class, Setting.TAR_FORMAT, "use docker (the default, for docker load) or oci (an OCI image layout).");
    FinalStageSpec finalStage = FinalStagePlan.create(in.finalStage(), props, in.project().basedir());
    if (finalStage.artifactPath().isPresent() && (java.isPresent() || outputs.size() > 1)) {
      throw new MsbuildException(
          Setting.ARTIFACT_PATH.xml() + " places one artifact, but " + (java.isPresent()
              ? "a Java project's image has no builder-stage artifact (its layers go under " + JavaSpec.APP_ROOT + ")"
              : "the builder command has " + outputs.size() + " outputs") + ".",
          Setting.ARTIFACT_PATH,
          java.isPresent() ? "remove " + Setting.ARTIFACT_PATH.xml() + "."
              : "remove " + Setting.ARTIFACT_PATH.xml() + " (each output goes to /app/<name>), or place the other outputs with "
                  + Setting.COPIES + " from /out/<name>.");
    }

    String cacheText = props.string(Setting.CACHE_DIRECTORY, in.cacheDirectory() == null ? null : in.cacheDirectory().toString());
    Path cache = cacheText == null || cacheText.isBlank() ? defaultCacheDirectory() : Path.of(cacheText).toAbsolutePath().normalize();

    return new BuildPlan(
        source, in.outputDirectory(), cache, go, platform, fromImage, toImage, tags, spec, registries,
        defaultImageName(in.artifactId(), in.version()), finalStage, fromAuth, toAuth, tarFormat, platforms, java);
  }

  /**
   * cgo outside the builder image would compile and link with this machine's C compiler and libc
   * (glibc, say): a binary that cannot start on alpine or scratch. Refused before anything runs.
   */
  /**
   * cgo with the builder image's go run on this machine would link this machine's C library into
   * a binary built "from" the image: refused before anything runs. With {@code <toolchain>host}
   * the user asked for this machine's toolchain, C library included; the artifact check then
   * tells whether the base has that C library.
   */
  private static void checkCgo(BuilderSpec spec) {
    if (spec.isolation() == BuilderSpec.Isolation.DIRECT && spec.command().isEmpty() && spec.cgoEnabled()) {
      throw new MsbuildException(
          Setting.BUILDER_ENV + " sets CGO_ENABLED=" + spec.env().get("CGO_ENABLED") + " and " + Setting.BUILDER_ISOLATION.xml()
              + " is direct: the builder image's go would compile and link with this machine's C compiler and C library, "
              + "and the binary would not start on alpine or scratch.",
          Setting.BUILDER_ISOLATION,
          "set " + Setting.BUILDER_ISOLATION + " to sandbox or auto: cgo then uses the builder image's own C toolchain "
              + "(golang:1.26 has gcc; golang:*-alpine needs apk add build-base in a " + Setting.BUILDER_COMMAND.xml()
              + "). Or set CGO_ENABLED=0 in " + Setting.BUILDER_ENV.xml() + " for a static binary.");
    }
  }


  /** jlink runs the builder image's JDK in a sandbox, and links a runtime for this machine's architecture. */
  private static void checkJlink(BuilderSpec.Isolation isolation, List<Platform> platforms) {
    if (isolation == BuilderSpec.Isolation.HOST || isolation == BuilderSpec.Isolation.DIRECT) {
      throw new MsbuildException(
          "jlink runs inside the builder image, which " + isolation.name().toLowerCase(Locale.ROOT) + " isolation does not provide.",
          Setting.BUILDER_ISOLATION,
          "set " + Setting.BUILDER_ISOLATION + " to auto or sandbox, or turn " + Setting.JAVA_JLINK + " off.");
    }
    for (Platform platform : platforms) {
      if (!platform.os().equals("linux") || !platform.architecture().equals(Platform.host().architecture())) {
        throw new MsbuildException(
            "jlink links a runtime from the builder JDK, which is for " + Platform.host() + ", but " + platform + " is requested.",
            Setting.PLATFORMS,
            "build the jlink image for " + Platform.host() + " only, or turn " + Setting.JAVA_JLINK
                + " off: without it the same Java layers go on each platform's JRE base.");
      }
    }
  }

  private static Optional<ImageName> image(String text, Setting setting) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(ImageName.parse(text, setting));
  }

  /** {@code <isolation>}, or the older {@code <toolchain>}: image means auto, host means host. */
  private static BuilderSpec.Isolation isolation(String isolation, String toolchain) {
    if (isolation != null && !isolation.isBlank()) {
      return choice(isolation, BuilderSpec.Isolation.class, Setting.BUILDER_ISOLATION,
          "use auto (the default), direct, sandbox or host.");
    }
    if (toolchain == null || toolchain.isBlank() || toolchain.trim().equalsIgnoreCase("image")) {
      return BuilderSpec.Isolation.AUTO;
    }
    if (toolchain.trim().equalsIgnoreCase("host")) {
      return BuilderSpec.Isolation.HOST;
    }
    throw new MsbuildException(
        "'" + toolchain + "' is not a toolchain.",
        Setting.BUILDER_TOOLCHAIN,
        "use image (the builder image's go, the default) or host (the go on this machine's PATH).");
  }

  private static BuilderSpec.SandboxTool sandboxTool(String text) {
    return text == null || text.isBlank()
        ? BuilderSpec.SandboxTool.AUTO
        : choice(text, BuilderSpec.SandboxTool.class, Setting.BUILDER_SANDBOX, "use auto (the default), bwrap or unshare.");
  }

  static <E extends Enum<E>> E choice(String text, Class<E> type, Setting setting, String fix) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MsbuildException("'" + text + "' is not one of the choices.", setting, fix);
    }
  }

  private static List<String> outputs(List<String> outputs, boolean command) {
    for (String output : outputs) {
      if (!output.startsWith("/")) {
        throw new MsbuildException(
            "The output '" + output + "' is relative; outputs are paths in the builder's filesystem.",
            Setting.BUILDER_OUTPUTS,
            "write it as an absolute path, for example /out/app (the build can write to /out).");
      }
    }
    if (command && outputs.isEmpty()) {
      throw new MsbuildException(
          "A builder <command> is set but no <outputs> say which files become the image's artifacts.",
          Setting.BUILDER_OUTPUTS,
          "list them, for example <outputs><output>/out/app</output></outputs>; the build can write to /out.");
    }
    if (!command && !outputs.isEmpty()) {
      throw new MsbuildException(
          "<outputs> are set without a builder <command>; the Go build has one output, <builder><output>.",
          Setting.BUILDER_OUTPUTS,
          "set " + Setting.BUILDER_COMMAND + " too, or remove " + Setting.BUILDER_OUTPUTS + ".");
    }
    return outputs;
  }

  private static long positive(String text, long defaultValue, Setting setting, String example) {
    if (text == null || text.isBlank()) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MsbuildException("'" + text + "' is not a positive whole number.", setting, "give " + example + ".");
  }

  /** A byte count with an optional k, m or g suffix (powers of 1024). */
  private static long bytes(String text) {
    return bytes(text, BuilderSpec.UnpackLimits.DEFAULT.maxBytes(), Setting.BUILDER_MAX_BYTES);
  }

  /** {@code text} as a byte count for {@code setting}, {@code otherwise} when it is not given. */
  static long bytes(String text, long otherwise, Setting setting) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    int shift = switch (trimmed.charAt(trimmed.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    String number = shift == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1);
    String example = "a size such as 8g, 512m or 1073741824";
    long value = number.isEmpty() ? -1 : positive(number, -1, setting, example);
    if (value <= 0 || value > (Long.MAX_VALUE >> shift)) {
      throw new MsbuildException("'" + text + "' is not a size this machine can count.", setting, "give " + example + ".");
    }
    return value << shift;
  }

  private static List<BuilderSpec.Secret> secrets(
      List<SecretParameter> secrets,
      java.util.function.Function<String, String> environment,
      java.util.function.Function<String, Optional<String>> serverPasswords) {
    List<BuilderSpec.Secret> resolved = new java.util.ArrayList<>();
    for (SecretParameter secret : secrets == null ? List.<SecretParameter>of() : secrets) {
      String id = secret.id == null ? "" : secret.id.trim();
      if (!ENV_NAME.matcher(id).matches()) {
        throw new MsbuildException(
            "The secret id '" + id + "' cannot name an environment variable and a file.",
            Setting.BUILDER_SECRETS,
            "give each <secret> an <id> of letters, digits and '_', for example <id>github_token</id>.");
      }
      boolean fromEnv = secret.env != null && !secret.env.isBlank();
      boolean fromServer = secret.server != null && !secret.server.isBlank();
      if (fromEnv == fromServer) {
        throw new MsbuildException(
            "The secret '" + id + "' needs exactly one source.",
            Setting.BUILDER_SECRETS,
            "give it either <env>VARIABLE</env> (an environment variable of this machine) or "
                + "<server>id</server> (a <server> of Maven's settings.xml), not both.");
      }
      String value =
          fromEnv
              ? environment.apply(secret.env.trim())
              : serverPasswords.apply(secret.server.trim()).orElse(null);
      if (value == null || value.isEmpty()) {
        throw new MsbuildException(
            "The secret '" + id + "' is empty: "
                + (fromEnv
                    ? "the environment variable " + secret.env.trim() + " is not set."
                    : "settings.xml has no <server> with id " + secret.server.trim() + " and a password."),
            Setting.BUILDER_SECRETS,
            fromEnv
                ? "export " + secret.env.trim() + " before running Maven (in CI, from the pipeline's secret store)."
                : "add <server><id>" + secret.server.trim() + "</id><password>...</password></server> to ~/.m2/settings.xml "
                    + "(mvn --encrypt-password encrypts it).");
      }
      resolved.add(new BuilderSpec.Secret(id, value));
    }
    return resolved;
  }

  private static List<String> ports(List<String> ports) {
    for (String port : ports) {
      var m = PORT.matcher(port.trim());
      boolean ok = m.matches();
      if (ok) {
        int low = Integer.parseInt(m.group(1));
        int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
        ok = low >= 1 && high <= 65535 && low <= high;
      }
      if (!ok) {
        throw new MsbuildException(
            "'" + port + "' is not a port: ports are numbers from 1 to 65535, optionally a range and /tcp or /udp.",
            Setting.CONTAINER_PORTS,
            "write ports like 8080, 8080/udp or 9000-9002/tcp.");
      }
    }
    return ports;
  }

  private static Map<String, String> checkEnvNames(Map<String, String> env, Setting setting) {
    for (String name : env.keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new MsbuildException(
            "'" + name + "' is not an environment variable name.", setting, "use letters, digits and '_', not starting with a digit.");
      }
    }
    return env;
  }

  private static String workingDirectory(String dir) {
    if (dir == null || dir.isBlank()) {
      return null;
    }
    if (!dir.startsWith("/")) {
      throw new MsbuildException(
          "The working directory '" + dir + "' is relative; a container's working directory is an absolute path.",
          Setting.CONTAINER_WORKING_DIRECTORY,
          "write it from the image root, for example /app.");
    }
    return dir;
  }

  static String defaulted(String text, String defaultValue) {
    return text == null || text.isBlank() ? defaultValue : text.trim();
  }

  /** {@code user}, {@code user:group}, {@code uid} or {@code uid:gid}; names are checked against the image later. */
  private static String user(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String user = text.trim();
    if (!USER.matcher(user).matches()) {
      throw new MsbuildException(
          "'" + user + "' is not a user: write user, user:group, uid or uid:gid.",
          Setting.CONTAINER_USER,
          "for example 65532:65532, or app when the image's /etc/passwd has app (" + Setting.NON_ROOT_USER + " adds one).");
    }
    return user;
  }

  private static List<String> volumes(List<String> volumes) {
    for (String volume : volumes) {
      if (!volume.startsWith("/")) {
        throw new MsbuildException(
            "The volume '" + volume + "' is relative; volumes are absolute paths in the container.",
            Setting.CONTAINER_VOLUMES,
            "write it from the root, for example /" + volume.replaceFirst("^\\.?/*", "") + ".");
      }
    }
    return volumes;
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    for (String key : labels.keySet()) {
      if (key == null || key.isBlank() || key.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=')) {
        throw new MsbuildException(
            "'" + key + "' is not a label key.",
            Setting.CONTAINER_LABELS,
            "use keys without spaces or '=', in reverse-DNS style, for example com.example.team.");
      }
    }
    return labels;
  }

  static RegistryAuth auth(
      AuthParameters auth, CredHelperParameters credHelper, UserProperties props, Setting username, Setting password,
      Setting helper) {
    String user = props.string(username, auth == null ? null : auth.username);
    String pass = props.string(password, auth == null ? null : auth.password);
    boolean hasUser = user != null && !user.isBlank();
    boolean hasPass = pass != null && !pass.isEmpty();
    if (hasUser != hasPass) {
      throw new MsbuildException(
          username.xml() + " has a " + (hasUser ? "username but no password" : "password but no username") + ".",
          username,
          "give both <username> and <password> (-D" + username.property() + " and -D" + password.property()
              + "), or neither and put the login in settings.xml as a <server> whose id is the registry host.");
    }
    Optional<RegistryCredential> explicit =
        hasUser ? Optional.of(new RegistryCredential(user.trim(), pass, username.xml())) : Optional.empty();
    String helperName = props.string(helper, credHelper == null ? null : credHelper.helper);
    if (helperName == null || helperName.isBlank()) {
      return new RegistryAuth(explicit, Optional.empty(), username);
    }
    String name = helperName.trim();
    if (!(name.contains("/") ? PATH_HELPER : HELPER).matcher(name).matches()) {
      throw new MsbuildException(
          "'" + name + "' is not a credential helper name or path.",
          helper,
          "give the helper's name (ecr-login, or docker-credential-ecr-login) or the path to its executable.");
    }
    java.util.Map<String, String> environment = credHelper == null || credHelper.environment == null ? java.util.Map.of()
        : credHelper.environment;
    environment.keySet().forEach(k -> {
      if (!ENV_NAME.matcher(k).matches()) {
        throw new MsbuildException("'" + k + "' in " + helper.xml() + "<environment> is not a variable name.", helper,
            "use names of letters, digits and underscores, not starting with a digit.");
      }
    });
    return new RegistryAuth(explicit, Optional.of(new CredentialHelper(name, environment)), username);
  }

  /**
   * Where logins are read from, in Jib's order: podman's and skopeo's containers/auth.json, then
   * {@code $DOCKER_CONFIG/config.json} when that variable is set, else {@code ~/.docker/config.json}.
   */
  private static List<Path> dockerConfigs(java.util.function.Function<String, String> environment) {
    java.util.LinkedHashSet<Path> files = new java.util.LinkedHashSet<>();
    String home = System.getProperty("user.home");
    for (String dir : new String[] {environment.apply("XDG_RUNTIME_DIR"), environment.apply("XDG_CONFIG_HOME"),
        home == null ? null : home + "/.config"}) {
      if (dir != null && !dir.isBlank()) {
        files.add(Path.of(dir, "containers", "auth.json").toAbsolutePath().normalize());
      }
    }
    String dir = environment.apply("DOCKER_CONFIG");
    Path base = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(home, ".docker");
    files.add(base.resolve("config.json").toAbsolutePath().normalize());
    return List.copyOf(files);
  }

  /** A file as the log shows it: relative to the project when inside it. */
  private static String shown(Path source, Path file) {
    return file.startsWith(source) ? source.relativize(file).toString() : file.toString();
  }

  static Path defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("msbuild").toAbsolutePath().normalize();
  }

  private static String defaultImageName(String artifactId, String version) {
    String repo = artifactId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
    String tag = version == null ? "latest" : version.replaceAll("[^A-Za-z0-9_.-]", "-");
    return (repo.isEmpty() ? "image" : repo) + ":" + (tag.isEmpty() ? "latest" : tag);
  }
}
