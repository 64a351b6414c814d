package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.pipeline.MultiStageBuild;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue: each case is a real build (plan, builder stage, final stage, push)
 * against the test bed's registries that must fail with a message naming the setting and the fix,
 * leaving nothing under the target tag. Runs in the integration-test phase, after
 * testbed/registry-up.sh started the registries ({@code testbed.registry}, {@code testbed.authRegistry}).
 */
class BadInputCatalogueIT {
  private static final String PASSWORD = "s3cret-pw";
  private static final String WRONG_PASSWORD = "not-the-pw-9";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String registry;
  private static String authRegistry;
  private static String forbidding;
  private static ForbiddingRegistry forbiddingServer;
  private static Path project;
  private static Path cache;
  private static Path javaProject;

  @BeforeAll
  static void testBed() throws IOException, InterruptedException {
    registry = required("testbed.registry");
    // A plain-HTTP registry answers a TLS hello by waiting; Jib's default 20 s read timeout would
    // make the "no allowInsecureRegistries" case wait for it twice. Loopback needs far less.
    System.setProperty("jib.httpTimeout", "3000");
    authRegistry = required("testbed.authRegistry");
    forbiddingServer = new ForbiddingRegistry();
    forbidding = "127.0.0.1:" + forbiddingServer.port();

    Path target = Path.of(System.getProperty("catalogue.directory", "target/catalogue")).toAbsolutePath();
    project = target.resolve("project");
    cache = target.resolve("cache");
    Files.createDirectories(project);
    Files.writeString(project.resolve("go.mod"), "module example.com/catalogue\n\ngo 1.26\n");
    Files.writeString(project.resolve("main.go"),
        "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"catalogue\") }\n");
    // Packages for the artifact check's cases: one that is not main, one with C code, one that cross-compiles quickly.
    Files.createDirectories(project.resolve("lib"));
    Files.writeString(project.resolve("lib/lib.go"), "package lib\n\nfunc Answer() int { return 42 }\n");
    Files.createDirectories(project.resolve("cgo"));
    Files.writeString(project.resolve("cgo/main.go"),
        "package main\n\n// #include <stdio.h>\n// static void hi(void) { puts(\"hi\"); }\nimport \"C\"\n\nfunc main() { C.hi() }\n");
    Files.createDirectories(project.resolve("tiny"));
    Files.writeString(project.resolve("tiny/main.go"), "package main\n\nfunc main() { println(\"tiny\") }\n");
    pushPasswdBomb(target.resolve("passwd-bomb"));
    javaProject = target.resolve("java-project");
    Path classes = javaProject.resolve("target/classes");
    Files.createDirectories(classes);
    Path source = javaProject.resolve("Hello.java");
    Files.writeString(source, "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); } }\n");
    int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
    if (compiled != 0) {
      throw new IllegalStateException("javac failed on " + source);
    }
  }

  /**
   * testbed/passwd-bomb:1, a base whose one layer is an /etc/passwd of 3 GiB of zeros in a 3 MB
   * gzip stream, as a hostile registry could serve it; pushed with skopeo from an OCI layout.
   */
  private static void pushPasswdBomb(Path dir) throws IOException, InterruptedException {
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    dev.msbuild.it.GzipBomb.Layer layer =
        dev.msbuild.it.GzipBomb.write(dir.resolve("layer.tar.gz"), "etc/passwd", 3L << 30, true);
    Files.move(layer.file(), blobs.resolve(layer.digest().substring(7)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.diffId().orElseThrow() + "\"]},"
        + "\"history\":[{\"created_by\":\"ADD a 3 GiB etc/passwd of zeros (test bed, hostile)\"}]}";
    String configDigest = blob(blobs, config);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
        + "\",\"size\":" + config.length() + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"" + layer.digest() + "\",\"size\":" + layer.size() + "}]}";
    String manifestDigest = blob(blobs, manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length()
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
    Process skopeo = new ProcessBuilder("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + dir + ":1",
        "docker://" + registry + "/testbed/passwd-bomb:1").redirectErrorStream(true).start();
    String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (skopeo.waitFor() != 0) {
      throw new IllegalStateException("skopeo could not push testbed/passwd-bomb:1:\n" + output);
    }
  }

  private static String blob(Path blobs, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String hex;
    try {
      hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.write(blobs.resolve(hex), bytes);
    return "sha256:" + hex;
  }

  @AfterAll
  static void stop() throws IOException {
    if (forbiddingServer != null) {
      forbiddingServer.close();
    }
  }

  /**
   * A registry front that lets clients in at /v2/ and denies every repository (403 DENIED), as a
   * registry does for a login without rights. Raw sockets: like a Go server, it answers a TLS
   * hello on its plain port with a 400 at once, so clients fall back to HTTP without waiting.
   */
  static final class ForbiddingRegistry implements AutoCloseable {
    private final java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

    ForbiddingRegistry() throws IOException {
      Thread thread = new Thread(this::serve, "forbidding-registry");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (java.net.Socket client = socket.accept()) {
          client.setSoTimeout(5000);
          var in = new java.io.BufferedInputStream(client.getInputStream());
          in.mark(1);
          int first = in.read();
          var out = client.getOutputStream();
          if (first == 0x16) { // a TLS handshake on a plain port
            out.write("HTTP/1.0 400 Bad Request\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            continue;
          }
          StringBuilder head = new StringBuilder().append((char) first);
          while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
              break;
            }
            head.append((char) c);
          }
          boolean root = head.toString().startsWith("GET /v2/ ") || head.toString().startsWith("HEAD /v2/ ");
          String body = root ? "{}" : "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}";
          out.write(((root ? "HTTP/1.1 200 OK" : "HTTP/1.1 403 Forbidden") + "\r\nContent-Type: application/json\r\n"
              + "Docker-Distribution-API-Version: registry/2.0\r\nConnection: close\r\nContent-Length: " + body.length()
              + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // the next client gets a fresh try; close() ends the loop
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * One bad input: -D properties (on top of a working build), the setting its message must name,
   * and what must never show in the log (a compile that should not have started).
   */
  record Case(String name, Setting setting, String target, Map<String, String> properties, List<String> neverLogged) {
    Case notLogging(String... lines) {
      return new Case(name, setting, target, properties, List.of(lines));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    // Credentials over plain HTTP first: the switch is process-wide in Jib once another case set it.
    add(cases, "credentials to a plain-HTTP registry without the switch", Setting.SEND_CREDENTIALS_OVER_HTTP,
        "AUTH/catalogue/http-creds:1", "msbuild.to.auth.username", "msbuild", "msbuild.to.auth.password", PASSWORD,
        "msbuild.sendCredentialsOverHttp", "false");
    add(cases, "upper-case repository", Setting.TO_IMAGE, "REG/Catalogue/App:1");
    add(cases, "registry port out of range", Setting.TO_IMAGE, "127.0.0.1:99999/catalogue/app:1");
    add(cases, "bad tag in the image reference", Setting.TO_IMAGE, "REG/catalogue/app:bad!tag");
    add(cases, "bad extra tag", Setting.TO_TAGS, "REG/catalogue/tags:1", "msbuild.to.tags", "ok,-bad");
    add(cases, "bad base reference", Setting.FROM_IMAGE, "REG/catalogue/from-ref:1", "msbuild.from.image", "alpine::3.20");
    add(cases, "bad base digest", Setting.FROM_IMAGE, "REG/catalogue/from-digest:1", "msbuild.from.image", "alpine@sha256:123");
    add(cases, "unknown base image", Setting.FROM_IMAGE, "REG/catalogue/unknown-base:1", "msbuild.from.image", "alpine:9.99");
    add(cases, "unknown base registry host", Setting.FROM_IMAGE, "REG/catalogue/unknown-host:1",
        "msbuild.from.image", "registry.invalid/alpine:3.20");
    add(cases, "unreachable target registry", Setting.TO_IMAGE, "127.0.0.1:1/catalogue/unreachable:1");
    add(cases, "wrong password", Setting.TO_AUTH, "AUTH/catalogue/wrong-password:1",
        "msbuild.to.auth.username", "msbuild", "msbuild.to.auth.password", WRONG_PASSWORD,
        "msbuild.sendCredentialsOverHttp", "true");
    add(cases, "no credentials for a registry that needs them", Setting.TO_AUTH, "AUTH/catalogue/anonymous:1",
        "msbuild.sendCredentialsOverHttp", "true");
    add(cases, "registry denies the push (403)", Setting.TO_AUTH, "DENY/catalogue/denied:1",
        "msbuild.to.auth.username", "msbuild", "msbuild.to.auth.password", PASSWORD,
        "msbuild.sendCredentialsOverHttp", "true");
    add(cases, "username without password", Setting.TO_AUTH, "REG/catalogue/half-auth:1",
        "msbuild.to.auth.username", "msbuild");
    add(cases, "credential helper not installed", Setting.TO_CRED_HELPER, "AUTH/catalogue/helper:1",
        "msbuild.to.credHelper", "msbuild-no-such-helper");
    add(cases, "plain-HTTP registry without allowInsecureRegistries", Setting.ALLOW_INSECURE_REGISTRIES,
        "REG/catalogue/insecure:1", "msbuild.allowInsecureRegistries", "false",
        "msbuild.builder.image", "REG/library/golang:1.26-alpine");
    add(cases, "port out of range", Setting.CONTAINER_PORTS, "REG/catalogue/port:1", "msbuild.container.ports", "70000");
    add(cases, "unknown port protocol", Setting.CONTAINER_PORTS, "REG/catalogue/sctp:1", "msbuild.container.ports", "80/sctp");
    add(cases, "unknown user", Setting.CONTAINER_USER, "REG/catalogue/ghost:1",
        "msbuild.from.image", "alpine:3.20", "msbuild.container.user", "ghost");
    add(cases, "unknown group", Setting.CONTAINER_USER, "REG/catalogue/ghost-group:1",
        "msbuild.from.image", "alpine:3.20", "msbuild.container.user", "nobody:ghosts");
    add(cases, "malformed user", Setting.CONTAINER_USER, "REG/catalogue/bad-user:1", "msbuild.container.user", "a b");
    add(cases, "relative working directory", Setting.CONTAINER_WORKING_DIRECTORY, "REG/catalogue/workdir:1",
        "msbuild.container.workingDirectory", "app");
    add(cases, "relative volume", Setting.CONTAINER_VOLUMES, "REG/catalogue/volume:1", "msbuild.container.volumes", "data");
    add(cases, "bad environment name", Setting.CONTAINER_ENVIRONMENT, "REG/catalogue/env:1",
        "msbuild.container.environment", "1BAD=x");
    add(cases, "bad label key", Setting.CONTAINER_LABELS, "REG/catalogue/label:1", "msbuild.container.labels", "bad key=x");
    add(cases, "unknown image format", Setting.CONTAINER_FORMAT, "REG/catalogue/format:1", "msbuild.container.format", "v1");
    add(cases, "unknown tar format", Setting.TAR_FORMAT, "REG/catalogue/tar:1", "msbuild.tar.format", "zip");
    add(cases, "missing copy source", Setting.COPIES, "REG/catalogue/copy-missing:1", "msbuild.copies", "/etc/no-such-file:/etc/x");
    add(cases, "relative copy source", Setting.COPIES, "REG/catalogue/copy-relative:1", "msbuild.copies", "etc/passwd:/etc/passwd");
    add(cases, "copy and CA switch write one file", Setting.COPIES, "REG/catalogue/copy-conflict:1",
        "msbuild.caCertificates", "true", "msbuild.copies", "/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/");
    add(cases, "command with direct isolation", Setting.BUILDER_ISOLATION, "REG/catalogue/conflict:1",
        "msbuild.builder.command", "go build -o /out/app .", "msbuild.builder.outputs", "/out/app",
        "msbuild.builder.isolation", "direct");
    add(cases, "direct isolation with CGO_ENABLED=1", Setting.BUILDER_ISOLATION, "REG/catalogue/cgo-direct:1",
        "msbuild.builder.isolation", "direct", "msbuild.builder.env", "CGO_ENABLED=1");
    // Refused before anything is pulled or compiled.
    cases.set(cases.size() - 1, cases.get(cases.size() - 1).notLogging("$ GOOS=", "[go] ", "Pulled ", "Checked ", "Isolation: "));
    add(cases, "bad non-root user name", Setting.NON_ROOT_USER, "REG/catalogue/nonroot:1", "msbuild.nonRootUser", "Bad User");
    add(cases, "missing extra directory", Setting.EXTRA_DIRECTORIES, "REG/catalogue/extra:1",
        "msbuild.extraDirectories.paths", "src/no-such-dir");
    add(cases, "bad permission mode", Setting.EXTRA_PERMISSIONS, "REG/catalogue/mode:1",
        "msbuild.extraDirectories.permissions", "/app/run.sh=999");
    add(cases, "single-platform base of another architecture", Setting.FROM_IMAGE, "REG/catalogue/arm64-only:1",
        "msbuild.from.image", "REG/testbed/alpine-arm64-only:3.20");
    add(cases, "base image lacks a requested platform", Setting.PLATFORMS, "REG/catalogue/s390x:1",
        "msbuild.from.image", "alpine:3.20", "msbuild.platforms", "linux/amd64,linux/s390x");
    add(cases, "a platform listed twice", Setting.PLATFORMS, "REG/catalogue/twice:1",
        "msbuild.platforms", "linux/amd64,linux/arm64,linux/amd64");
    add(cases, "bad platform", Setting.PLATFORM, "REG/catalogue/platform:1", "msbuild.platform", "linux/amd64/v1/x");
    add(cases, "negative builder timeout", Setting.BUILDER_TIMEOUT, "REG/catalogue/timeout:1", "msbuild.builder.timeout", "-5");
    add(cases, "bad output timestamp", Setting.OUTPUT_TIMESTAMP, "REG/catalogue/timestamp:1",
        "project.build.outputTimestamp", "yesterday");
    // The artifact check: what the builder stage made must be able to start in the image.
    add(cases, "a package that is not main", Setting.BUILDER_MAIN_PACKAGE, "REG/catalogue/not-main:1",
        "msbuild.builder.mainPackage", "./lib");
    add(cases, "cgo with this machine's toolchain (glibc) on scratch", Setting.FROM_IMAGE, "REG/catalogue/cgo-scratch:1",
        "msbuild.builder.toolchain", "host", "msbuild.builder.env", "CGO_ENABLED=1", "msbuild.builder.mainPackage", "./cgo");
    add(cases, "cgo with this machine's toolchain (glibc) on alpine (musl)", Setting.FROM_IMAGE, "REG/catalogue/cgo-alpine:1",
        "msbuild.builder.toolchain", "host", "msbuild.builder.env", "CGO_ENABLED=1", "msbuild.builder.mainPackage", "./cgo",
        "msbuild.from.image", "alpine:3.20");
    add(cases, "a command that builds for arm64 when the platform is amd64", Setting.PLATFORM, "REG/catalogue/goarch:1",
        "msbuild.builder.command", "GOARCH=arm64 CGO_ENABLED=0 go build -o /out/app ./tiny", "msbuild.builder.outputs", "/out/app");
    add(cases, "a base whose /etc/passwd is a 3 GiB gzip bomb, with a user to check", Setting.FROM_IMAGE,
        "REG/catalogue/passwd-bomb:1", "msbuild.from.image", "REG/testbed/passwd-bomb:1", "msbuild.container.user", "app");
    // Java projects: a compiled Hello class, no Go source.
    add(cases, "jlink runtime (glibc) on a musl base", Setting.FROM_IMAGE, "REG/catalogue/jlink-musl:1",
        "msbuild.java.mainClass", "Hello", "msbuild.java.jlink", "true", "msbuild.builder.image", "eclipse-temurin:25-jdk",
        "msbuild.from.image", "alpine:3.20");
    add(cases, "jlink runtime on scratch", Setting.FROM_IMAGE, "REG/catalogue/jlink-scratch:1",
        "msbuild.java.mainClass", "Hello", "msbuild.java.jlink", "true", "msbuild.builder.image", "eclipse-temurin:25-jdk",
        "msbuild.java.jlink.modules", "java.base", "msbuild.from.image", "scratch");
    add(cases, "Java on a base without java", Setting.FROM_IMAGE, "REG/catalogue/no-java:1",
        "msbuild.java.mainClass", "Hello", "msbuild.from.image", "alpine:3.20");
    add(cases, "jlink with a JRE builder image", Setting.BUILDER_IMAGE, "REG/catalogue/jre-builder:1",
        "msbuild.java.mainClass", "Hello", "msbuild.java.jlink", "true", "msbuild.builder.image", "eclipse-temurin:25-jre",
        "msbuild.from.image", "REG/testbed/debian-glibc:12");
    add(cases, "unknown jlink module", Setting.JAVA_JLINK_MODULES, "REG/catalogue/jlink-module:1",
        "msbuild.java.mainClass", "Hello", "msbuild.java.jlink", "true", "msbuild.builder.image", "eclipse-temurin:25-jdk",
        "msbuild.java.jlink.modules", "java.base,java.nosuch", "msbuild.from.image", "REG/testbed/debian-glibc:12");
    add(cases, "jlink for another architecture", Setting.PLATFORMS, "REG/catalogue/jlink-arm64:1",
        "msbuild.java.mainClass", "Hello", "msbuild.java.jlink", "true", "msbuild.platforms", "linux/arm64");
    add(cases, "malformed main class", Setting.JAVA_MAIN_CLASS, "REG/catalogue/main-class:1",
        "msbuild.java.mainClass", "not a class");
    add(cases, "a main class that is not on the image's classpath", Setting.JAVA_MAIN_CLASS, "REG/catalogue/main-class-missing:1",
        "msbuild.java.mainClass", "com.example.NotHere");
    return cases.stream().map(Arguments::of);
  }

  private static void add(List<Case> cases, String name, Setting setting, String target, String... keyValues) {
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put(keyValues[i], keyValues[i + 1]);
    }
    cases.add(new Case(name, setting, target, properties, List.of()));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void failsNamingTheSettingAndTheFix(Case c) throws Exception {
    String target = c.target().replace("REG/", registry + "/").replace("AUTH/", authRegistry + "/").replace("DENY/", forbidding + "/");
    Properties cli = new Properties();
    cli.setProperty("msbuild.to.image", target);
    cli.setProperty("msbuild.registryMirrors", "docker.io=" + registry);
    cli.setProperty("msbuild.allowInsecureRegistries", "true");
    c.properties().forEach((k, v) -> cli.setProperty(k, v.replace("REG/", registry + "/")));
    RecordingLog log = new RecordingLog();
    List<String> logged = log.lines;

    MsbuildException failure = null;
    try {
      boolean java = c.properties().containsKey("msbuild.java.mainClass");
      BuildPlan plan = PlanFactory.create(java ? javaInputs() : inputs(), new UserProperties(cli, new Properties()));
      new MultiStageBuild(plan, log).pushImage();
    } catch (MsbuildException e) {
      failure = e;
    } catch (RuntimeException e) {
      fail(c + ": failed without a message for users: " + e, e);
    }
    assertNotNull(failure, c + ": the build succeeded");
    String message = failure.getMessage();
    // The report then shows every message as users read it.
    System.out.println("--- " + c + "\n" + message);
    assertEquals(Optional.of(c.setting()), failure.setting(), c + ": wrong setting in\n" + message);
    assertTrue(message.contains(c.setting().xml()) && message.contains("-D" + c.setting().property()),
        c + ": the message does not name " + c.setting() + ":\n" + message);
    assertTrue(message.contains("\n  Fix: ") && failure.fix().length() > 10, c + ": no fix in\n" + message);
    assertFalse(message.contains(PASSWORD) || message.contains(WRONG_PASSWORD), c + ": a password in\n" + message);
    assertFalse(String.join("\n", logged).contains(PASSWORD) || String.join("\n", logged).contains(WRONG_PASSWORD),
        c + ": a password in the log");
    for (String line : c.neverLogged()) {
      assertFalse(logged.stream().anyMatch(l -> l.contains(line)), c + ": the log shows '" + line + "':\n" + String.join("\n", logged));
    }
    if (c.properties().getOrDefault("msbuild.builder.env", "").contains("CGO_ENABLED")) {
      assertTrue(message.contains(Setting.BUILDER_ENV.toString()), c + ": the message does not name " + Setting.BUILDER_ENV + ":\n" + message);
    }
    assertNothingUnder(target, c);
  }

  /** The Go project (main.go, go.mod): no Java inputs. */
  private static PlanFactory.Inputs inputs() {
    return inputs(project, "catalogue", null);
  }

  /** A Java project: jar packaging, one compiled class, no dependencies. */
  private static PlanFactory.Inputs javaInputs() {
    return inputs(javaProject, "catalogue-java",
        new JavaPlan.Project("jar", javaProject.resolve("target/classes"), Optional.empty(), List.of(), Optional.of("17")));
  }

  private static PlanFactory.Inputs inputs(Path basedir, String artifactId, JavaPlan.Project java) {
    return TestBedProject.inputs(basedir, artifactId, cache, java);
  }

  /** The target tag does not exist, asked of the registry itself (with credentials where needed). */
  private static void assertNothingUnder(String target, Case c) throws IOException, InterruptedException {
    String host = target.substring(0, target.indexOf('/'));
    if (!host.equals(registry) && !host.equals(authRegistry)) {
      return; // an invalid reference, an unreachable or a denying registry: nothing could land
    }
    int colon = target.lastIndexOf(':');
    String repository = target.substring(host.length() + 1, colon);
    String tag = target.substring(colon + 1);
    if (!repository.equals(repository.toLowerCase(java.util.Locale.ROOT)) || !tag.matches("[A-Za-z0-9_.-]+")) {
      return;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository + "/manifests/" + tag))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json");
    if (host.equals(authRegistry)) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("msbuild:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    assertEquals(404, status, c + ": " + target + " exists after a failed build");
  }

  private static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: run this test through mvn verify, which starts the test bed");
    }
    return value;
  }
}
