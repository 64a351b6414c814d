package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.it.ItChecks;
import dev.msbuild.pipeline.MultiStageBuild;
import dev.msbuild.publish.PublishResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;

/**
 * Registries that lie or fail, in front of the test bed's real one (testbed/faultproxy.py): an
 * HTML login page, a mirror that swaps the manifest behind a pinned digest, a registry that
 * answers 500 after it stored a manifest. (A base of another architecture is in the catalogue.) Real builds, as {@code mvn msbuild:image} runs them.
 */
class RegistryTrustIT {
  private static String registry;
  private static String html;
  private static String hostile;
  private static String faulty;
  private static Path project;
  private static Path caches;
  /** A cache of each test's own: what one test pulled must not spare another its registry. */
  private Path cache;

  private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void testBed() throws IOException {
    registry = required("testbed.registry");
    html = required("testbed.htmlRegistry");
    hostile = required("testbed.hostileRegistry");
    faulty = required("testbed.faultyRegistry");
    Path target = Path.of(System.getProperty("catalogue.directory", "target/catalogue")).toAbsolutePath().resolveSibling("trust");
    project = target.resolve("project");
    caches = target.resolve("caches");
    Files.createDirectories(project);
    Files.writeString(project.resolve("go.mod"), "module example.com/trust\n\ngo 1.26\n");
    Files.writeString(project.resolve("main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"trust\") }\n");
  }

  @BeforeEach
  void ownCache(TestInfo test) {
    cache = caches.resolve(test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void quietProxy() throws Exception {
    ItChecks.proxyConfigure(faulty, "{\"fault_rate\": 0, \"fail_after_manifest_put\": 0}");
  }

  @Test
  void aRegistryAnsweringHtmlFailsSayingSoAndLeavesNoOutputs() throws IOException {
    Path outputs = project.resolve("target/msbuild");
    Files.createDirectories(outputs);
    // What a previous build left: a pipeline must not find it after this one fails.
    Files.writeString(outputs.resolve("image.digest"), "sha256:" + "0".repeat(64) + "\n");
    Files.writeString(outputs.resolve("image.json"), "{}\n");
    MsbuildException failure = failure(Map.of("msbuild.to.image", html + "/trust/html:1"));
    assertEquals(Optional.of(Setting.TO_IMAGE), failure.setting(), failure.getMessage());
    assertTrue(failure.getMessage().contains("does not answer as a container registry"), failure.getMessage());
    assertTrue(failure.getMessage().contains("HTML page"), failure.getMessage());
    assertTrue(failure.getMessage().contains("Nothing was taken as pushed"), failure.getMessage());
    assertFalse(Files.exists(outputs.resolve("image.digest")), "image.digest of an earlier build is still there");
    assertFalse(Files.exists(outputs.resolve("image.json")), "image.json of an earlier build is still there");
    assertFalse(String.join("\n", logged).contains("already in the registry"), "the log claims blobs are present");
  }

  @Test
  void aPushTheLoginMayNotDoFailsBeforeAnythingIsBuilt() {
    MsbuildException failure = failure(Map.of("msbuild.to.image", required("testbed.authRegistry") + "/trust/refused:1",
        "msbuild.to.auth.username", "msbuild", "msbuild.to.auth.password", "not-the-pw-9", "msbuild.sendCredentialsOverHttp", "true"));
    assertEquals(Optional.of(Setting.TO_AUTH), failure.setting(), failure.getMessage());
    assertTrue(failure.getMessage().contains("refused the credentials of msbuild"), failure.getMessage());
    String log = String.join("\n", logged);
    assertFalse(log.contains("Isolation:") || log.contains("Pulled ") || log.contains("Checked ") || log.contains("Built "), "built before the login was checked:\n" + log);
    assertFalse(log.contains("not-the-pw-9") || failure.getMessage().contains("not-the-pw-9"));
  }

  @Test
  void aBaseWhoseManifestIsSwappedBehindItsPinnedDigestIsRefused() throws Exception {
    String index = ItChecks.testbedProperty("testbed.alpineIndexDigest");
    String amd64 = ItChecks.testbedProperty("testbed.alpineAmd64Digest");
    MsbuildException failure = failure(Map.of("msbuild.to.image", registry + "/trust/swapped-base:1",
        "msbuild.from.image", "alpine@" + index, "msbuild.registryMirrors", "docker.io=" + hostile));
    assertEquals(Optional.of(Setting.FROM_IMAGE), failure.setting(), failure.getMessage());
    assertTrue(failure.getMessage().contains("does not match its digest"), failure.getMessage());
    assertTrue(failure.getMessage().contains(amd64), failure.getMessage());
    assertNothingCachedUnder(amd64);
    assertFalse(ItChecks.attempt(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry + "/trust/swapped-base:1")).getKey() == 0, "the build pushed an image");
  }

  @Test
  void aBuilderWhoseManifestIsSwappedBehindItsPinnedDigestIsRefusedAndNothingIsUnpacked() throws IOException {
    String index = ItChecks.testbedProperty("testbed.golangIndexDigest");
    String manifest = ItChecks.testbedProperty("testbed.golangManifestDigest");
    // On scratch, so that the builder is the only image pulled through the hostile mirror.
    MsbuildException failure = failure(Map.of("msbuild.to.image", registry + "/trust/swapped-builder:1", "msbuild.from.image", "scratch",
        "msbuild.builder.image", "golang@" + index, "msbuild.registryMirrors", "docker.io=" + hostile));
    assertEquals(Optional.of(Setting.BUILDER_IMAGE), failure.setting(), failure.getMessage());
    assertTrue(failure.getMessage().contains("does not match its digest"), failure.getMessage());
    assertNothingCachedUnder(manifest);
    assertFalse(Files.exists(cache.resolve("rootfs").resolve(manifest.replace(':', '-'))), "a root was unpacked under " + manifest);
  }

  @Test
  void aManifestPushAnsweredWith500AfterItWasStoredIsRetriedAndReadBack() throws Exception {
    // The first PUT takes effect and is answered 500: the retry and the read-back settle it.
    ItChecks.proxyConfigure(faulty, "{\"fault_rate\": 0, \"fail_after_manifest_put\": 1}");
    PublishResult once = success(Map.of("msbuild.to.image", faulty + "/trust/put-500-once:1"));
    assertEquals(ItChecks.rawDigest("docker://" + registry + "/trust/put-500-once:1"), once.digest());
    assertTrue(logged.stream().anyMatch(l -> l.contains("HTTP 500") && l.contains("retrying")), String.join("\n", logged));
    assertEquals(once.digest() + "\n", Files.readString(project.resolve("target/msbuild/image.digest")));

    // Every PUT answered 500 although each was stored: the tag is live with our digest, and the
    // read-back says so instead of a failure that would leave the pipeline guessing.
    logged.clear();
    ItChecks.proxyConfigure(faulty, "{\"fault_rate\": 0, \"fail_after_manifest_put\": 50}");
    PublishResult always = success(Map.of("msbuild.to.image", faulty + "/trust/put-500-always:1"));
    assertEquals(ItChecks.rawDigest("docker://" + registry + "/trust/put-500-always:1"), always.digest());
    assertTrue(logged.stream().anyMatch(l -> l.contains("the push took effect")), String.join("\n", logged));
    assertEquals(always.digest() + "\n", Files.readString(project.resolve("target/msbuild/image.digest")));
  }

  private void assertNothingCachedUnder(String digest) {
    Path blob = cache.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    assertFalse(Files.exists(blob), "the cache holds " + blob);
  }

  private MsbuildException failure(Map<String, String> properties) {
    MsbuildException failure = null;
    try {
      build(properties);
    } catch (MsbuildException e) {
      failure = e;
    }
    assertNotNull(failure, "the build succeeded: " + String.join("\n", logged));
    assertTrue(failure.getMessage().contains("\n  Fix: "), failure.getMessage());
    return failure;
  }

  private PublishResult success(Map<String, String> properties) {
    return build(properties);
  }

  private PublishResult build(Map<String, String> properties) {
    Properties cli = new Properties();
    cli.setProperty("msbuild.registryMirrors", "docker.io=" + registry);
    cli.setProperty("msbuild.allowInsecureRegistries", "true");
    cli.setProperty("msbuild.from.image", "alpine:3.20");
    cli.setProperty("msbuild.cacheDirectory", cache.toString());
    properties.forEach(cli::setProperty);
    BuildLog log = new BuildLog() {
      @Override public void info(String message) { logged.add(message); }
      @Override public void warn(String message) { logged.add(message); }
      @Override public void debug(String message) { logged.add(message); }
    };
    return new MultiStageBuild(PlanFactory.create(TestBedProject.inputs(project, "trust", cache), new UserProperties(cli, new Properties())),
        log).pushImage();
  }

  private static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: run this test through mvn verify, which starts the test bed");
    }
    return value;
  }
}
