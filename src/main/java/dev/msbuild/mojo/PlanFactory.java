package dev.msbuild.mojo;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.ContainerSpec;
import dev.msbuild.config.GoBuild;
import dev.msbuild.config.GoModule;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import java.nio.file.Path;
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
      String version) {}

  private PlanFactory() {}

  static BuildPlan create(Inputs in, UserProperties props) {
    BuilderParameters builder = in.builder() == null ? new BuilderParameters() : in.builder();
    FromParameters from = in.from() == null ? new FromParameters() : in.from();
    ToParameters to = in.to() == null ? new ToParameters() : in.to();
    ContainerParameters container = in.container() == null ? new ContainerParameters() : in.container();

    Path source = Path.of(props.string(Setting.SOURCE_DIRECTORY, in.sourceDirectory().toString())).toAbsolutePath().normalize();

    Optional<ImageName> toImage = image(props.string(Setting.TO_IMAGE, to.image), Setting.TO_IMAGE);
    List<String> tags = props.list(Setting.TO_TAGS, to.tags);
    for (String tag : tags) {
      ImageName.parse("tag-check:" + tag, Setting.TO_TAGS);
    }
    String fromText = props.string(Setting.FROM_IMAGE, from.image);
    Optional<ImageName> fromImage =
        fromText == null || fromText.isBlank() || fromText.trim().equals("scratch")
            ? Optional.empty()
            : Optional.of(ImageName.parse(fromText, Setting.FROM_IMAGE));

    String mainPackage = props.string(Setting.BUILDER_MAIN_PACKAGE, builder.mainPackage);
    mainPackage = mainPackage == null || mainPackage.isBlank() ? "." : mainPackage.trim();
    Path packageDir = source.resolve(mainPackage).normalize();
    String builderText = props.string(Setting.BUILDER_IMAGE, builder.image);
    if (builderText == null || builderText.isBlank()) {
      builderText = GoModule.defaultBuilderImage(GoModule.find(packageDir).flatMap(GoModule::goVersion));
    }
    ImageName builderImage = ImageName.parse(builderText, Setting.BUILDER_IMAGE);
    GoBuild.Toolchain toolchain = toolchain(props.string(Setting.BUILDER_TOOLCHAIN, builder.toolchain));
    String output = props.string(Setting.BUILDER_OUTPUT, builder.output);
    output = output == null || output.isBlank() ? in.artifactId() : output.trim();
    if (!OUTPUT_NAME.matcher(output).matches()) {
      throw new MsbuildException(
          "The artifact name '" + output + "' is not a plain file name.",
          Setting.BUILDER_OUTPUT,
          "use letters, digits, '.', '_' and '-' only, for example 'webserver'.");
    }
    String ldflags = props.string(Setting.BUILDER_LDFLAGS, builder.ldflags);
    ldflags = ldflags == null ? "-s -w" : ldflags.trim();
    Map<String, String> builderEnv = props.map(Setting.BUILDER_ENV, builder.env);
    checkEnvNames(builderEnv, Setting.BUILDER_ENV);
    GoBuild go =
        new GoBuild(
            builderImage, toolchain, mainPackage, output, props.list(Setting.BUILDER_FLAGS, builder.flags), ldflags, builderEnv);

    String platformText = props.string(Setting.PLATFORM, in.platform());
    Platform platform =
        platformText == null || platformText.isBlank() ? Platform.LINUX_AMD64 : Platform.parse(platformText, Setting.PLATFORM);

    ContainerSpec spec =
        new ContainerSpec(
            props.list(Setting.CONTAINER_ENTRYPOINT, container.entrypoint),
            props.list(Setting.CONTAINER_ARGS, container.args),
            checkEnvNames(props.map(Setting.CONTAINER_ENVIRONMENT, container.environment), Setting.CONTAINER_ENVIRONMENT),
            ports(props.list(Setting.CONTAINER_PORTS, container.ports)),
            props.map(Setting.CONTAINER_LABELS, container.labels),
            emptyToNull(props.string(Setting.CONTAINER_USER, container.user)),
            workingDirectory(props.string(Setting.CONTAINER_WORKING_DIRECTORY, container.workingDirectory)));

    RegistryOptions registries =
        new RegistryOptions(
            props.bool(Setting.ALLOW_INSECURE_REGISTRIES, in.allowInsecureRegistries()),
            RegistryOptions.parseMirrors(props.list(Setting.REGISTRY_MIRRORS, in.registryMirrors())));

    String cacheText = props.string(Setting.CACHE_DIRECTORY, in.cacheDirectory() == null ? null : in.cacheDirectory().toString());
    Path cache = cacheText == null || cacheText.isBlank() ? defaultCacheDirectory() : Path.of(cacheText).toAbsolutePath().normalize();

    return new BuildPlan(
        source, in.outputDirectory(), cache, go, platform, fromImage, toImage, tags, spec, registries,
        defaultImageName(in.artifactId(), in.version()));
  }

  private static Optional<ImageName> image(String text, Setting setting) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(ImageName.parse(text, setting));
  }

  private static GoBuild.Toolchain toolchain(String text) {
    if (text == null || text.isBlank()) {
      return GoBuild.Toolchain.IMAGE;
    }
    try {
      return GoBuild.Toolchain.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MsbuildException(
          "'" + text + "' is not a toolchain.",
          Setting.BUILDER_TOOLCHAIN,
          "use image (the builder image's go, the default) or host (the go on this machine's PATH).");
    }
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

  private static String emptyToNull(String text) {
    return text == null || text.isBlank() ? null : text.trim();
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
