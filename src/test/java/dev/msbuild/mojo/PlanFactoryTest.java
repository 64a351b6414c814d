package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlanFactoryTest {
  private static final Map<String, String> ENV = Map.of("CI_TOKEN", "t0ken");
  private static final Map<String, String> SERVERS = Map.of("private-repo", "s3rver");

  @TempDir Path project;

  private PlanFactory.Inputs inputs(Consumer<ContainerParameters> container) {
    ContainerParameters params = new ContainerParameters();
    container.accept(params);
    return new PlanFactory.Inputs(
        null, null, null, params, null, false, null, project.resolve("cache"), project, project.resolve("target/msbuild"),
        "webserver", "1.0-SNAPSHOT", ENV::get, id -> Optional.ofNullable(SERVERS.get(id)));
  }

  static UserProperties cli(String... keyValues) {
    Properties props = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return new UserProperties(props, new Properties());
  }

  @Test
  void defaults() {
    BuildPlan plan = PlanFactory.create(inputs(c -> {}), cli());
    assertEquals(Optional.empty(), plan.from());
    assertEquals(Optional.empty(), plan.to());
    assertEquals(Platform.LINUX_AMD64, plan.platform());
    assertEquals("webserver", plan.builder().outputName());
    assertEquals("-s -w", plan.builder().effectiveLdflags());
    assertEquals(".", plan.builder().mainPackage());
    assertEquals(BuilderSpec.Isolation.AUTO, plan.builder().isolation());
    assertEquals("docker.io/library/golang:1.26-alpine", plan.builder().image().toString());
    assertEquals("webserver:1.0-SNAPSHOT", plan.defaultImageName());
    assertEquals(List.of(), plan.tags());
    assertEquals(Optional.empty(), plan.builder().command());
    assertEquals(BuilderSpec.UnpackLimits.DEFAULT, plan.builder().limits());
    assertEquals(java.time.Duration.ofHours(1), plan.builder().timeout());
    assertTrue(plan.builder().network());
    assertEquals(project.toAbsolutePath().normalize(), plan.sourceDirectory());
    assertEquals(project.resolve("cache").toAbsolutePath().normalize(), plan.cacheDirectory());
    assertEquals(List.of(), plan.registries().mirrorsOf("docker.io"));
    assertFalse(plan.registries().allowInsecure());
    assertEquals(List.of(), plan.container().entrypoint());
    assertEquals(null, plan.container().workingDirectory());
  }

  @Test
  void theGoLinePicksTheBuilderImage() throws IOException {
    Files.writeString(project.resolve("go.mod"), "module x\n\ngo 1.25.4\n");
    assertEquals("docker.io/library/golang:1.25-alpine", PlanFactory.create(inputs(c -> {}), cli()).builder().image().toString());
  }

  @Test
  void commandLineOverridesConfiguration() {
    ToParameters to = new ToParameters();
    to.image = "registry.example.com/a/b:1";
    to.tags = List.of("configured");
    FromParameters from = new FromParameters();
    from.image = "alpine:3.20";
    BuilderParameters builder = new BuilderParameters();
    builder.image = "golang:1.24-alpine";
    PlanFactory.Inputs in =
        new PlanFactory.Inputs(
            builder, from, to, null, null, false, List.of("docker.io=m1"), project, project, project.resolve("t"), "x", "1",
            ENV::get, id -> Optional.empty());
    BuildPlan configured = PlanFactory.create(in, cli());
    assertEquals("registry.example.com/a/b:1", configured.to().orElseThrow().toString());
    assertEquals(List.of("configured"), configured.tags());
    assertEquals("docker.io/library/alpine:3.20", configured.from().orElseThrow().toString());
    assertEquals("docker.io/library/golang:1.24-alpine", configured.builder().image().toString());

    BuildPlan plan =
        PlanFactory.create(
            in,
            cli(
                "msbuild.to.image", "127.0.0.1:5000/it/x:2",
                "msbuild.to.tags", "a,b",
                "msbuild.from.image", "scratch",
                "msbuild.builder.image", "golang:1.26.8-alpine",
                "msbuild.registryMirrors", "docker.io=127.0.0.1:5000",
                "msbuild.allowInsecureRegistries", "true",
                "msbuild.container.labels", "a=1,b=2,org.opencontainers.image.version=2",
                "msbuild.container.format", "oci",
                "msbuild.container.volumes", "/data,/cache",
                "msbuild.tar.format", "OCI",
                "msbuild.to.auth.username", "deployer",
                "msbuild.to.auth.password", "pw",
                "msbuild.from.credHelper", "ecr-login",
                "msbuild.sendCredentialsOverHttp", "true"));
    assertEquals("127.0.0.1:5000/it/x:2", plan.to().orElseThrow().toString());
    assertEquals(dev.msbuild.config.ImageFormat.OCI, plan.container().format());
    assertEquals(List.of("/data", "/cache"), plan.container().volumes());
    assertEquals(dev.msbuild.config.TarFormat.OCI, plan.tarFormat());
    assertEquals("deployer", plan.toAuth().explicit().orElseThrow().username());
    assertFalse(plan.toAuth().explicit().orElseThrow().toString().contains("pw"));
    assertEquals(Optional.of(dev.msbuild.config.CredentialHelper.named("ecr-login")), plan.fromAuth().credHelper());
    assertTrue(plan.registries().sendCredentialsOverHttp());
    assertEquals(List.of("a", "b"), plan.tags());
    assertEquals(Optional.empty(), plan.from());
    assertEquals("docker.io/library/golang:1.26.8-alpine", plan.builder().image().toString());
    assertEquals(List.of("127.0.0.1:5000"), plan.registries().mirrorsOf("docker.io"));
    assertTrue(plan.registries().allowInsecure());
    // pom labels first, configured ones win
    assertEquals(Map.of("a", "1", "b", "2", "org.opencontainers.image.version", "2", "org.opencontainers.image.title", "x"),
        plan.container().labels());
  }

  @Test
  void theCommandLineWinsOverProjectProperties() {
    Properties commandLine = new Properties();
    commandLine.setProperty("msbuild.to.image", "cli/app:1");
    Properties projectProperties = new Properties();
    projectProperties.setProperty("msbuild.to.image", "project/app:1");
    projectProperties.setProperty("msbuild.platform", "linux/arm64");
    BuildPlan plan = PlanFactory.create(inputs(c -> {}), new UserProperties(commandLine, projectProperties));
    assertEquals("docker.io/cli/app:1", plan.to().orElseThrow().toString());
    assertEquals(new Platform("linux", "arm64", null), plan.platform());
  }

  @Test
  void scratchInAnyFormIsNoBase() {
    for (String scratch : List.of("scratch", " scratch ", "", "  ")) {
      assertEquals(Optional.empty(), PlanFactory.create(inputs(c -> {}), cli("msbuild.from.image", scratch)).from(), scratch);
    }
  }

  @Test
  void containerSettingsReachThePlan() {
    BuildPlan plan =
        PlanFactory.create(
            inputs(c -> {
              c.entrypoint = List.of("/app/webserver", "--serve");
              c.args = List.of("-v");
              c.environment = Map.of("MODE", "prod");
              c.ports = List.of("8080", "9000-9002/udp");
              c.user = " 65532 ";
              c.workingDirectory = "/app";
            }),
            cli());
    assertEquals(List.of("/app/webserver", "--serve"), plan.container().entrypoint());
    assertEquals(List.of("-v"), plan.container().args());
    assertEquals(Map.of("MODE", "prod"), plan.container().environment());
    assertEquals(List.of("8080", "9000-9002/udp"), plan.container().ports());
    assertEquals("65532", plan.container().user());
    assertEquals("/app", plan.container().workingDirectory());
  }

  /** A tag is a tag: letters, digits, '_', '.', '-'; nothing that makes it a digest or a path. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "a/b", "x:y"})
  void tagsAreCheckedAsTags(String tag) {
    MsbuildException e = assertThrows(MsbuildException.class, () -> PlanFactory.create(inputs(c -> {}), cli("msbuild.to.tags", tag)));
    assertEquals(Setting.TO_TAGS, e.setting().orElseThrow());
    assertTrue(e.getMessage().contains(tag), e.getMessage());
    assertFalse(e.getMessage().contains("tag-check"), "the message shows an internal placeholder: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"1k, 1024", "512m, 536870912", "8g, 8589934592", "1073741824, 1073741824", "2G, 2147483648"})
  void maxBytesTakesSizes(String text, long bytes) {
    assertEquals(bytes, PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.maxBytes", text)).builder().limits().maxBytes());
  }

  /** A suffix without a number, or a size beyond a long, is an error, not a limit of 0 or a negative one. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"k", "g", "0", "-1m", "9999999999999g"})
  void maxBytesRejectsWhatIsNotASize(String text) {
    MsbuildException e =
        assertThrows(MsbuildException.class, () -> PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.maxBytes", text)));
    assertEquals(Setting.BUILDER_MAX_BYTES, e.setting().orElseThrow());
  }

  @Test
  void commandsNeedTheImageUserland() {
    for (String isolation : List.of("direct", "host")) {
      MsbuildException e =
          assertThrows(
              MsbuildException.class,
              () -> PlanFactory.create(inputs(c -> {}),
                  cli("msbuild.builder.command", "make", "msbuild.builder.outputs", "/out/app", "msbuild.builder.isolation", isolation)));
      assertEquals(Setting.BUILDER_ISOLATION, e.setting().orElseThrow());
    }
  }

  /**
   * cgo with the image's go run directly would link against this machine's libc: refused before
   * anything runs. The host toolchain is this machine's on purpose; the artifact check judges it.
   */
  @Test
  void cgoNeedsTheBuilderImagesToolchain() {
    for (String isolation : List.of("direct")) {
      MsbuildException e =
          assertThrows(
              MsbuildException.class,
              () -> PlanFactory.create(inputs(c -> {}),
                  cli("msbuild.builder.env", "CGO_ENABLED=1", "msbuild.builder.isolation", isolation)));
      assertEquals(Setting.BUILDER_ISOLATION, e.setting().orElseThrow());
      assertTrue(e.getMessage().contains("<builder><env> (-Dmsbuild.builder.env) sets CGO_ENABLED=1 and <builder><isolation> is "
          + isolation), e.getMessage());
      assertTrue(e.fix().contains("to sandbox or auto") && e.fix().contains("CGO_ENABLED=0 in <builder><env>"), e.fix());
    }
    for (String isolation : List.of("auto", "sandbox", "host")) {
      assertTrue(PlanFactory.create(inputs(c -> {}),
          cli("msbuild.builder.env", "CGO_ENABLED=1", "msbuild.builder.isolation", isolation)).builder().cgoEnabled());
    }
    assertFalse(PlanFactory.create(inputs(c -> {}),
        cli("msbuild.builder.env", "CGO_ENABLED=0", "msbuild.builder.isolation", "direct")).builder().cgoEnabled());
  }

  @Test
  void secretsComeFromTheEnvironmentAndSettings() {
    SecretParameter fromEnv = new SecretParameter();
    fromEnv.id = "token";
    fromEnv.env = "CI_TOKEN";
    SecretParameter fromServer = new SecretParameter();
    fromServer.id = "deploy";
    fromServer.server = "private-repo";
    BuilderParameters builder = new BuilderParameters();
    builder.secrets = List.of(fromEnv, fromServer);
    PlanFactory.Inputs in = inputs(c -> {});
    in = new PlanFactory.Inputs(builder, null, null, null, null, false, null, in.cacheDirectory(), in.sourceDirectory(),
        in.outputDirectory(), "x", "1", in.environment(), in.serverPasswords());
    List<BuilderSpec.Secret> secrets = PlanFactory.create(in, cli()).builder().secrets();
    assertEquals(List.of(new BuilderSpec.Secret("token", "t0ken"), new BuilderSpec.Secret("deploy", "s3rver")), secrets);
    // A secret never shows its value when printed.
    assertTrue(!secrets.toString().contains("t0ken") && !secrets.toString().contains("s3rver"), secrets.toString());

    fromEnv.env = "UNSET_VARIABLE";
    PlanFactory.Inputs missing = in;
    MsbuildException e = assertThrows(MsbuildException.class, () -> PlanFactory.create(missing, cli()));
    assertEquals(Setting.BUILDER_SECRETS, e.setting().orElseThrow());
    assertTrue(e.getMessage().contains("UNSET_VARIABLE is not set"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "msbuild.container.workingDirectory | app         | <container><workingDirectory> (-Dmsbuild.container.workingDirectory)",
        "msbuild.container.ports            | 70000       | <container><ports> (-Dmsbuild.container.ports)",
        "msbuild.container.ports            | http        | <container><ports> (-Dmsbuild.container.ports)",
        "msbuild.builder.toolchain          | docker      | <builder><toolchain> (-Dmsbuild.builder.toolchain)",
        "msbuild.builder.output             | a/b         | <builder><output> (-Dmsbuild.builder.output)",
        "msbuild.builder.env                | 1X=y        | <builder><env> (-Dmsbuild.builder.env)",
        "msbuild.platform                   | linux       | <platform> (-Dmsbuild.platform)",
        "msbuild.to.tags                    | bad tag     | <to><tags> (-Dmsbuild.to.tags)",
        "msbuild.registryMirrors            | docker.io   | <registryMirrors> (-Dmsbuild.registryMirrors)",
        "msbuild.builder.image              | Golang:1.26 | <builder><image> (-Dmsbuild.builder.image)",
        "msbuild.builder.isolation          | docker      | <builder><isolation> (-Dmsbuild.builder.isolation)",
        "msbuild.builder.sandbox            | firejail    | <builder><sandbox> (-Dmsbuild.builder.sandbox)",
        "msbuild.builder.timeout            | -5          | <builder><timeout> (-Dmsbuild.builder.timeout)",
        "msbuild.builder.maxEntries         | lots        | <builder><maxEntries> (-Dmsbuild.builder.maxEntries)",
        "msbuild.builder.maxBytes           | 8t          | <builder><maxBytes> (-Dmsbuild.builder.maxBytes)",
        "msbuild.builder.outputs            | /out/app    | <builder><outputs> (-Dmsbuild.builder.outputs)",
        "msbuild.builder.command            | make        | <builder><outputs> (-Dmsbuild.builder.outputs)",
      })
  void badValuesNameTheirSetting(String property, String value, String setting) {
    MsbuildException e = assertThrows(MsbuildException.class, () -> PlanFactory.create(inputs(c -> {}), cli(property, value)));
    assertTrue(e.getMessage().contains("Setting: " + setting), e.getMessage());
    assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
    assertEquals(setting, e.setting().map(Setting::toString).orElseThrow());
  }

  @Test
  void badConfiguredValuesNameTheirSettingToo() {
    BuilderParameters builder = new BuilderParameters();
    builder.env = Map.of("1X", "y");
    PlanFactory.Inputs base = inputs(c -> {});
    PlanFactory.Inputs in =
        new PlanFactory.Inputs(builder, null, null, null, "linux", false, null, base.cacheDirectory(), base.sourceDirectory(),
            base.outputDirectory(), "x", "1", base.environment(), base.serverPasswords());
    MsbuildException env = assertThrows(MsbuildException.class, () -> PlanFactory.create(in, cli()));
    assertEquals(Setting.BUILDER_ENV, env.setting().orElseThrow());
    assertTrue(env.getMessage().contains("'1X'"), env.getMessage());

    builder.env = null;
    MsbuildException platform = assertThrows(MsbuildException.class, () -> PlanFactory.create(in, cli()));
    assertEquals(Setting.PLATFORM, platform.setting().orElseThrow());
    assertTrue(platform.getMessage().contains("'linux' is not a platform"), platform.getMessage());

    MsbuildException port =
        assertThrows(MsbuildException.class, () -> PlanFactory.create(inputs(c -> c.ports = List.of("8080", "70000")), cli()));
    assertEquals(Setting.CONTAINER_PORTS, port.setting().orElseThrow());
    assertTrue(port.getMessage().contains("'70000'"), port.getMessage());

    MsbuildException dir =
        assertThrows(MsbuildException.class, () -> PlanFactory.create(inputs(c -> c.workingDirectory = "app"), cli()));
    assertEquals(Setting.CONTAINER_WORKING_DIRECTORY, dir.setting().orElseThrow());
  }

  @Test
  void anArtifactIdThatIsNoFileNameNeedsAnOutputName() {
    PlanFactory.Inputs base = inputs(c -> {});
    PlanFactory.Inputs in =
        new PlanFactory.Inputs(null, null, null, null, null, false, null, base.cacheDirectory(), base.sourceDirectory(),
            base.outputDirectory(), "-dash", "1", base.environment(), base.serverPasswords());
    MsbuildException e = assertThrows(MsbuildException.class, () -> PlanFactory.create(in, cli()));
    assertEquals(Setting.BUILDER_OUTPUT, e.setting().orElseThrow());
    assertEquals("app", PlanFactory.create(in, cli("msbuild.builder.output", "app")).builder().outputName());
  }

  @Test
  void platformsFromTheCommandLine() {
    BuildPlan plan = PlanFactory.create(inputs(c -> {}), cli("msbuild.platforms", "linux/amd64, linux/arm/v7"));
    assertTrue(plan.multiPlatform());
    assertEquals(List.of(Platform.LINUX_AMD64, new Platform("linux", "arm", "v7")), plan.platforms());
    assertEquals(Platform.LINUX_AMD64, plan.platform());
    BuildPlan arm = plan.forPlatform(new Platform("linux", "arm", "v7"));
    assertFalse(arm.multiPlatform());
    assertEquals(plan.outputDirectory().resolve("linux-arm-v7"), arm.outputDirectory());
    assertEquals(List.of(Platform.LINUX_AMD64), PlanFactory.create(inputs(c -> {}), cli()).platforms());
  }

  @Test
  void platformsAreListedOnceAndNotBesidePlatform() {
    assertEquals(Optional.of(Setting.PLATFORMS), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs(c -> {}), cli("msbuild.platforms", "linux/amd64,linux/amd64"))).setting());
    assertEquals(Optional.of(Setting.PLATFORMS), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs(c -> {}), cli("msbuild.platforms", "linux/amd64,linux/arm64",
            "msbuild.platform", "linux/amd64"))).setting());
  }

  @Test
  void aGoFlagSplitByACommaIsRefusedNamingTheFlagsSetting() {
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.flags", "-tags=a,b")));
    assertEquals(Optional.of(Setting.BUILDER_FLAGS), e.setting());
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("-tags=a\\,b"), e.getMessage());
    assertEquals(List.of("-tags=a,b"),
        PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.flags", "-tags=a\\,b")).builder().flags());
    // A value flag's value may follow it as the next word, as go itself allows.
    assertEquals(List.of("-tags", "netgo", "-trimpath"), PlanFactory.goFlags(List.of("-tags", "netgo", "-trimpath")));
    assertThrows(MsbuildException.class, () -> PlanFactory.goFlags(List.of("-trimpath", "netgo")));
  }

  @Test
  void ldflagsAddToTheStripFlagsUnlessStripIsOff() {
    assertEquals("-s -w -X main.v=1", PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.ldflags", "-X main.v=1"))
        .builder().effectiveLdflags());
    assertEquals("-s -w -X main.v=1", PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.ldflags", "-s -w -X main.v=1"))
        .builder().effectiveLdflags());
    assertEquals("-X main.v=1", PlanFactory.create(inputs(c -> {}),
        cli("msbuild.builder.ldflags", "-X main.v=1", "msbuild.builder.strip", "false")).builder().effectiveLdflags());
    assertEquals("", PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.strip", "false")).builder().effectiveLdflags());
  }

  @Test
  void templatesInLdflagsAndFlagsUseTheCommitAndTheOutputTimestamp() throws IOException {
    String sha = "89abcdef0123456789abcdef0123456789abcdef";
    Files.createDirectories(project.resolve(".git/refs/heads"));
    Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(project.resolve(".git/refs/heads/main"), sha + "\n");
    BuilderSpec spec = PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.ldflags", "-X main.c={{.Git.FullCommit}} -X main.d={{.Date}}",
        "msbuild.builder.flags", "-tags=c{{.Git.ShortCommit}}", "project.build.outputTimestamp", "2024-01-02T03:04:05Z")).builder();
    assertEquals("-s -w -X main.c=" + sha + " -X main.d=2024-01-02T03:04:05Z", spec.effectiveLdflags());
    assertEquals(List.of("-tags=c89abcde"), spec.flags());
    assertEquals(Optional.of(sha), spec.gitRevision());
  }

  @Test
  void theDefaultBuilderImageSaysWhichGoModLineChoseIt() throws IOException {
    assertEquals(Optional.of("(the default: no go.mod)"), PlanFactory.create(inputs(c -> {}), cli()).builder().imageOrigin());
    Files.writeString(project.resolve("go.mod"), "module x\n\ngo 1.22.4\n");
    BuilderSpec spec = PlanFactory.create(inputs(c -> {}), cli()).builder();
    assertEquals("docker.io/library/golang:1.22-alpine", spec.image().toString());
    assertEquals(Optional.of("from go.mod line 3: go 1.22.4"), spec.imageOrigin());
    assertEquals(Optional.empty(),
        PlanFactory.create(inputs(c -> {}), cli("msbuild.builder.image", "golang:1.26-alpine")).builder().imageOrigin());
  }
}
