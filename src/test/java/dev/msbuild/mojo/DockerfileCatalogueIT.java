package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.msbuild.config.AttestationSpec;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.CacheSpec;
import dev.msbuild.config.DockerfileSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.pipeline.MultiStageBuild;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad Dockerfiles and Dockerfile settings, each a real build against the test bed: the failure
 * names the setting, the Dockerfile's line where there is one, and the fix, and nothing is pushed.
 */
class DockerfileCatalogueIT {
  private static String registry;
  private static Path root;

  @BeforeAll
  static void testBed() {
    registry = System.getProperty("testbed.registry");
    if (registry == null || registry.isBlank()) {
      throw new IllegalStateException("testbed.registry is not set: run this test through mvn verify, which starts the test bed");
    }
    root = Path.of("target/dockerfile-catalogue").toAbsolutePath();
  }

  /**
   * @param dockerfile the Dockerfile's text, written to app/Dockerfile
   * @param properties -D properties beside {@code msbuild.dockerfile=app/Dockerfile}
   * @param says what the message must contain
   */
  record Case(String name, String dockerfile, Map<String, String> properties, Setting setting, String says) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("a Dockerfile that does not exist", null, Map.of("msbuild.dockerfile", "app/Nope"), Setting.DOCKERFILE,
        "app/Nope does not exist"));
    cases.add(new Case("an instruction this plugin does not run", "FROM alpine:3.20\nONBUILD RUN true\n", Map.of(),
        Setting.DOCKERFILE, "Dockerfile line 2: ONBUILD is not supported"));
    cases.add(new Case("a --from naming no stage and no image",
        "FROM alpine:3.20 AS buildando\nRUN true\nFROM alpine:3.20\nCOPY --from=buildado /etc/hostname /x\n", Map.of(),
        Setting.DOCKERFILE, "Dockerfile line 4: COPY --from=buildado: no stage or image of that name (stages: buildando)"));
    cases.add(new Case("a target that is no stage", "FROM alpine:3.20 AS one\n", Map.of("msbuild.target", "two"),
        Setting.DOCKERFILE_TARGET, "No stage two in Dockerfile (stages: one)"));
    cases.add(new Case("a build argument that is no ARG name", "FROM alpine:3.20\n", Map.of("msbuild.buildArgs", "1BAD=x"),
        Setting.DOCKERFILE_BUILD_ARGS, "'1BAD'"));
    cases.add(new Case("a RUN that fails", "FROM alpine:3.20\nWORKDIR /w\nRUN echo before && false\n", Map.of(),
        Setting.DOCKERFILE, "Dockerfile line 3: /bin/sh -c echo before && false exited with 1"));
    cases.add(new Case("a COPY of a file the context lacks", "FROM alpine:3.20\nCOPY missing.txt /x\n", Map.of(),
        Setting.DOCKERFILE, "Dockerfile line 2: COPY missing.txt: no such file in the build context"));
    cases.add(new Case("a secret mount with no such secret", "FROM alpine:3.20\nRUN --mount=type=secret,id=token cat /run/secrets/token\n",
        Map.of(), Setting.BUILDER_SECRETS, "RUN --mount=type=secret,id=token: no secret of that id"));
    cases.add(new Case("an unclosed variable", "FROM alpine:3.20\nENV A=${B\n", Map.of(), Setting.DOCKERFILE,
        "Dockerfile line 2: '${B' has no closing }"));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void failsNamingTheSettingTheLineAndTheFix(Case c) throws Exception {
    Path project = root.resolve("case-" + Integer.toHexString(c.name().hashCode()));
    Files.createDirectories(project.resolve("app"));
    if (c.dockerfile() != null) {
      Files.writeString(project.resolve("app/Dockerfile"), c.dockerfile());
    }
    String target = registry + "/catalogue/dockerfile-" + Integer.toHexString(c.name().hashCode()) + ":1";
    Properties cli = new Properties();
    cli.setProperty("msbuild.to.image", target);
    cli.setProperty("msbuild.registryMirrors", "docker.io=" + registry);
    cli.setProperty("msbuild.allowInsecureRegistries", "true");
    cli.setProperty("msbuild.sourceDirectory", project.resolve("app").toString());
    cli.setProperty("msbuild.dockerfile", "app/Dockerfile");
    c.properties().forEach(cli::setProperty);
    RecordingLog log = new RecordingLog();
    List<String> logged = log.lines;
    MsbuildException failure = null;
    try {
      UserProperties props = new UserProperties(cli, new Properties());
      BuildPlan plan = PlanFactory.create(TestBedProject.inputs(project, "dockerfile-catalogue", root.resolve("cache")), props);
      Optional<DockerfileSpec> spec = DockerfilePlan.create(null, null, null, props, project, plan.sourceDirectory());
      new MultiStageBuild(plan, AttestationSpec.NONE, CacheSpec.NONE, spec, log).pushImage();
    } catch (MsbuildException e) {
      failure = e;
    } catch (RuntimeException e) {
      fail(c + ": failed without a message for users: " + e, e);
    }
    assertNotNull(failure, c + ": the build succeeded");
    String message = failure.getMessage();
    System.out.println("--- " + c + "\n" + message);
    assertEquals(Optional.of(c.setting()), failure.setting(), c + ": wrong setting in\n" + message);
    assertTrue(message.contains(c.says()), c + ": the message does not say '" + c.says() + "':\n" + message);
    assertTrue(message.contains(c.setting().xml()) && message.contains("-D" + c.setting().property()), c + ": no setting in\n" + message);
    assertTrue(message.contains("\n  Fix: "), c + ": no fix in\n" + message);
    assertFalse(Files.exists(project.resolve("target/msbuild/dockerfile")), c + ": the stages' work directory was left");
    String repository = target.substring(registry.length() + 1, target.lastIndexOf(':'));
    HttpResponse<Void> tag = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository
        + "/manifests/1")).header("Accept", "application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(404, tag.statusCode(), c + ": something was pushed under " + target);
  }
}
