package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  private static UserProperties cli(String... keyValues) {
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
    assertEquals("-s -w", plan.builder().ldflags());
    assertEquals(".", plan.builder().mainPackage());
    assertEquals(BuilderSpec.Isolation.AUTO, plan.builder().isolation());
    assertEquals("docker.io/library/golang:1.26-alpine", plan.builder().image().toString());
    assertEquals("webserver:1.0-SNAPSHOT", plan.defaultImageName());
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
    FromParameters from = new FromParameters();
    from.image = "alpine:3.20";
    PlanFactory.Inputs in =
        new PlanFactory.Inputs(
            null, from, to, null, null, false, List.of("docker.io=m1"), project, project, project.resolve("t"), "x", "1",
            ENV::get, id -> Optional.empty());
    BuildPlan plan =
        PlanFactory.create(
            in,
            cli(
                "msbuild.to.image", "127.0.0.1:5000/it/x:2",
                "msbuild.to.tags", "a, b",
                "msbuild.from.image", "scratch",
                "msbuild.builder.image", "golang:1.26.8-alpine",
                "msbuild.registryMirrors", "docker.io=127.0.0.1:5000",
                "msbuild.allowInsecureRegistries", "true",
                "msbuild.container.labels", "a=1,b=2"));
    assertEquals("127.0.0.1:5000/it/x:2", plan.to().orElseThrow().toString());
    assertEquals(List.of("a", "b"), plan.tags());
    assertEquals(Optional.empty(), plan.from());
    assertEquals("docker.io/library/golang:1.26.8-alpine", plan.builder().image().toString());
    assertEquals(List.of("127.0.0.1:5000"), plan.registries().mirrorsOf("docker.io"));
    assertTrue(plan.registries().allowInsecure());
    assertEquals(Map.of("a", "1", "b", "2"), plan.container().labels());
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
}
