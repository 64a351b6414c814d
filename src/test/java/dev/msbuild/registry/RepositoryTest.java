package dev.msbuild.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against a small fake registry (the JDK's HTTP server): retries, logins,
 * redirects, and refusals of answers that are not the distribution API. The real registry, a
 * fault-injecting proxy and an HTML front are the integration tests' business.
 */
class RepositoryTest {
  private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofSeconds(5));

  @TempDir Path dir;
  private HttpServer server;
  private String registry;
  private final Map<String, Handler> routes = new ConcurrentHashMap<>();
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final List<String> seenAuthorization = Collections.synchronizedList(new ArrayList<>());
  private final BuildLog log = new BuildLog() {
    @Override public void info(String message) {}
    @Override public void warn(String message) { warnings.add(message); }
    @Override public void debug(String message) {}
  };

  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestHeaders().getOrDefault("Authorization", List.of()).forEach(seenAuthorization::add);
      String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      Handler handler = routes.get(key);
      try {
        if (handler == null) {
          send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"no " + key + "\"}]}");
        } else {
          handler.handle(exchange);
        }
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    registry = "127.0.0.1:" + server.getAddress().getPort();
    routes.put("GET /v2/", e -> send(e, 200, "application/json", "{}"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Repository repository(Optional<RegistryCredential> credential, boolean sendOverHttp) {
    RegistryOptions options = new RegistryOptions(true, sendOverHttp, Map.of(), RegistryOptions.ServerCredentials.NONE,
        dir.resolve("no-docker-config.json"));
    return new Registries(options, FAST, log).repository(registry, "team/app", credential);
  }

  private static void send(HttpExchange e, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      e.getResponseHeaders().set("Content-Type", type);
    }
    e.sendResponseHeaders(status, e.getRequestMethod().equals("HEAD") || bytes.length == 0 ? -1 : bytes.length);
    if (!e.getRequestMethod().equals("HEAD") && bytes.length > 0) {
      try (OutputStream out = e.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Manifest.Image manifest() {
    return ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(new byte[] {1}), 1),
        List.of(), Optional.empty(), Optional.empty(), Map.of());
  }

  private void serveManifest(String reference, byte[] bytes, int failuresFirst, int status) {
    AtomicInteger calls = new AtomicInteger();
    routes.put("GET /v2/team/app/manifests/" + reference, e -> {
      if (calls.incrementAndGet() <= failuresFirst) {
        if (status == 429) {
          e.getResponseHeaders().set("Retry-After", "1");
        }
        send(e, status, "text/plain", "busy");
        return;
      }
      e.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
      e.sendResponseHeaders(200, bytes.length);
      e.getResponseBody().write(bytes);
    });
  }

  @Test
  void fiveHundredsAreRetriedWithBackoffAndLogged() {
    Manifest.Image m = manifest();
    serveManifest("1.0", m.bytes(), 2, 503);
    assertEquals(m.digest(), repository(Optional.empty(), false).manifest("1.0", Optional.empty()).digest());
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("HTTP 503") && warnings.get(0).contains("try 2 of 4"), warnings.get(0));
  }

  @Test
  void aRetryAfterIsHonoured() {
    Manifest.Image m = manifest();
    serveManifest("1.0", m.bytes(), 1, 429);
    long start = System.nanoTime();
    repository(Optional.empty(), false).manifest("1.0", Optional.empty());
    assertTrue(System.nanoTime() - start >= 900_000_000L, "waited less than the Retry-After second");
    assertTrue(warnings.get(0).contains("retrying in 1.0 s"), warnings.get(0));
  }

  @Test
  void theLastFailureNamesTheStatusAndTheTries() {
    serveManifest("1.0", manifest().bytes(), 99, 500);
    RegistryException e = assertThrows(RegistryException.class, () -> repository(Optional.empty(), false).manifest("1.0", Optional.empty()));
    assertEquals(RegistryException.Kind.UNAVAILABLE, e.kind());
    assertEquals(500, e.status());
    assertTrue(e.detail().contains("4 tries"), e.detail());
  }

  @Test
  void anHtmlPageIsNotARegistry() {
    routes.put("GET /v2/", e -> send(e, 200, "text/html; charset=utf-8", "<html><body>Sign in</body></html>"));
    RegistryException e = assertThrows(RegistryException.class, () -> repository(Optional.empty(), false).manifest("1.0", Optional.empty()));
    assertEquals(RegistryException.Kind.NOT_A_REGISTRY, e.kind());
    assertTrue(e.detail().contains("HTML"), e.detail());
  }

  @Test
  void aV2AnswerThatIsNotJsonIsNotARegistry() {
    routes.put("GET /v2/", e -> send(e, 200, "text/plain", "OK, you are online"));
    RegistryException e = assertThrows(RegistryException.class, () -> repository(Optional.empty(), false).manifest("1.0", Optional.empty()));
    assertEquals(RegistryException.Kind.NOT_A_REGISTRY, e.kind());
    assertTrue(e.detail().contains("text/plain"), e.detail());
  }

  @Test
  void anHtmlAnswerToABlobCheckIsNotTakenAsPresent() {
    Digest blob = Digest.of(new byte[] {7});
    routes.put("HEAD /v2/team/app/blobs/" + blob, e -> send(e, 200, "text/html", "<html>hi</html>"));
    RegistryException e = assertThrows(RegistryException.class, () -> repository(Optional.empty(), false).blobSize(blob));
    assertEquals(RegistryException.Kind.NOT_A_REGISTRY, e.kind());
  }

  @Test
  void contentThatIsNotWhatTheDigestNamesIsRefused() {
    Manifest.Image served = manifest();
    Digest pinned = Digest.of("another manifest".getBytes(StandardCharsets.UTF_8));
    serveManifest(pinned.toString(), served.bytes(), 0, 200);
    RegistryException e = assertThrows(RegistryException.class,
        () -> repository(Optional.empty(), false).manifest(pinned.toString(), Optional.empty()));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, e.kind());
    assertTrue(e.detail().contains(served.digest().toString()), e.detail());
  }

  @Test
  void aBodyCutShortIsDownloadedAgain() throws IOException {
    byte[] blob = "layer bytes, all of them".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.of(blob);
    AtomicInteger calls = new AtomicInteger();
    routes.put("GET /v2/team/app/blobs/" + digest, e -> {
      e.sendResponseHeaders(200, blob.length);
      if (calls.incrementAndGet() == 1) {
        e.getResponseBody().write(blob, 0, 5);
        e.getResponseBody().flush();
        // Closing the exchange now leaves the client short of the declared length.
        return;
      }
      e.getResponseBody().write(blob);
    });
    Path file = dir.resolve("blob");
    repository(Optional.empty(), false).blobToFile(new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, blob.length), file, n -> {});
    assertArrayEquals(blob, Files.readAllBytes(file));
    assertEquals(2, calls.get());
  }

  @Test
  void aBearerTokenIsFetchedWithTheLoginAndSentForTheScope() {
    String realm = "http://" + registry + "/token";
    routes.put("GET /v2/", e -> {
      e.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\"");
      send(e, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
    });
    String basic = "Basic " + Base64.getEncoder().encodeToString("me:pw".getBytes(StandardCharsets.UTF_8));
    routes.put("GET /token", e -> {
      boolean scoped = e.getRequestURI().getQuery().contains("scope=repository:team/app:pull");
      if (!basic.equals(e.getRequestHeaders().getFirst("Authorization")) || !scoped) {
        send(e, 401, "application/json", "{}");
        return;
      }
      send(e, 200, "application/json", "{\"token\":\"t0k3n\"}");
    });
    Manifest.Image m = manifest();
    routes.put("GET /v2/team/app/manifests/1.0", e -> {
      if (!"Bearer t0k3n".equals(e.getRequestHeaders().getFirst("Authorization"))) {
        e.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\",scope=\"repository:team/app:pull\"");
        send(e, 401, "application/json", "{}");
        return;
      }
      e.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
      e.sendResponseHeaders(200, m.bytes().length);
      e.getResponseBody().write(m.bytes());
    });
    RegistryCredential me = new RegistryCredential("me", "pw", "test");
    assertEquals(m.digest(), repository(Optional.of(me), true).manifest("1.0", Optional.empty()).digest());

    // Over plain HTTP, credentials go nowhere unless that is allowed.
    seenAuthorization.clear();
    RegistryException withheld = assertThrows(RegistryException.class,
        () -> new Registries(new RegistryOptions(true, false, Map.of(), RegistryOptions.ServerCredentials.NONE, dir.resolve("x")), FAST, log)
            .repository(registry, "team/app", Optional.of(me)).manifest("1.0", Optional.empty()));
    assertEquals(RegistryException.Kind.CREDENTIALS_WITHHELD, withheld.kind());
    assertTrue(seenAuthorization.isEmpty(), seenAuthorization.toString());
  }

  @Test
  void aRefusedLoginIsUnauthorizedAndAForbiddenOneForbidden() {
    routes.put("GET /v2/", e -> {
      e.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake\"");
      send(e, 401, "application/json", "{}");
    });
    routes.put("GET /v2/team/app/manifests/1.0", e -> {
      e.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake\"");
      send(e, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    });
    RegistryException anonymous = assertThrows(RegistryException.class,
        () -> repository(Optional.empty(), false).manifest("1.0", Optional.empty()));
    assertEquals(RegistryException.Kind.UNAUTHORIZED, anonymous.kind());
    assertTrue(anonymous.detail().contains("authentication required"), anonymous.detail());
    routes.put("GET /v2/team/app/manifests/1.0", e -> send(e, 403, "application/json", "{\"errors\":[{\"code\":\"DENIED\"}]}"));
    RegistryException denied = assertThrows(RegistryException.class,
        () -> repository(Optional.of(new RegistryCredential("me", "pw", "test")), true).manifest("1.0", Optional.empty()));
    assertEquals(RegistryException.Kind.FORBIDDEN, denied.kind());
  }

  @Test
  void aRedirectToStorageIsFollowedWithoutTheLogin() throws IOException {
    HttpServer storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> storageAuth = Collections.synchronizedList(new ArrayList<>());
    byte[] blob = "stored elsewhere".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.of(blob);
    storage.createContext("/", e -> {
      storageAuth.add(String.valueOf(e.getRequestHeaders().getFirst("Authorization")));
      e.sendResponseHeaders(200, blob.length);
      e.getResponseBody().write(blob);
      e.close();
    });
    storage.start();
    try {
      routes.put("GET /v2/", e -> {
        e.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake\"");
        send(e, 401, "application/json", "{}");
      });
      routes.put("GET /v2/team/app/blobs/" + digest, e -> {
        e.getResponseHeaders().set("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/bucket/x?sig=1");
        send(e, 307, null, "");
      });
      Path file = dir.resolve("redirected");
      repository(Optional.of(new RegistryCredential("me", "pw", "test")), true)
          .blobToFile(new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, blob.length), file, n -> {});
      assertArrayEquals(blob, Files.readAllBytes(file));
      assertEquals(List.of("null"), storageAuth);
    } finally {
      storage.stop(0);
    }
  }

  @Test
  void anUploadStartsWithAMountAndFallsBackToSendingTheBytes() {
    byte[] blob = "our layer".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.of(blob);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    routes.put("POST /v2/team/app/blobs/uploads/", e -> {
      calls.add("POST " + e.getRequestURI().getQuery());
      e.getResponseHeaders().set("Location", "/v2/team/app/blobs/uploads/abc?state=1");
      send(e, 202, null, "");
    });
    routes.put("PUT /v2/team/app/blobs/uploads/abc", e -> {
      byte[] got = e.getRequestBody().readAllBytes();
      calls.add("PUT " + e.getRequestURI().getQuery() + " " + new String(got, StandardCharsets.UTF_8));
      e.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
      send(e, 201, null, "");
    });
    Repository.BlobOutcome outcome = repository(Optional.empty(), false)
        .pushBlob(new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, blob.length), null, blob, Optional.of("library/base"));
    assertEquals(Repository.BlobOutcome.UPLOADED, outcome);
    assertEquals(List.of("POST mount=" + digest + "&from=library/base", "PUT state=1&digest=" + digest + " our layer"), calls);
  }

  @Test
  void aHeadSaysWhichDigestATagNamesWithoutItsBody() {
    Digest digest = manifest().digest();
    routes.put("HEAD /v2/team/app/manifests/1.0", e -> {
      e.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
      e.getResponseHeaders().set("Content-Type", MediaTypes.OCI_MANIFEST);
      e.sendResponseHeaders(200, -1);
    });
    assertEquals(Optional.of(digest), repository(Optional.empty(), false).headDigest("1.0"));
    RegistryException missing = assertThrows(RegistryException.class, () -> repository(Optional.empty(), false).headDigest("2.0"));
    assertEquals(RegistryException.Kind.NOT_FOUND, missing.kind());
  }

  @Test
  void aManifestStoredAsOtherBytesIsRefused() {
    Manifest.Image m = manifest();
    routes.put("PUT /v2/team/app/manifests/1.0", e -> {
      e.getRequestBody().readAllBytes();
      e.getResponseHeaders().set("Docker-Content-Digest", "sha256:" + "0".repeat(64));
      send(e, 201, null, "");
    });
    RegistryException e = assertThrows(RegistryException.class, () -> repository(Optional.empty(), false).putManifest("1.0", m));
    assertEquals(RegistryException.Kind.DIGEST_MISMATCH, e.kind());
  }
}
