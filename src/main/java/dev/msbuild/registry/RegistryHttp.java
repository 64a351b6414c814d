package dev.msbuild.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.oci.ManifestCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTP side of one registry for one build: one client whose connections are reused, the
 * scheme decided once (verified HTTPS; with {@code <allowInsecureRegistries>} unverified HTTPS,
 * then plain HTTP), logins (bearer tokens per scope, or basic auth), redirects without the
 * login, bounded retries with backoff, and a refusal of anything that is not the distribution
 * API. It knows nothing of images: {@link Repository} says what to ask.
 */
final class RegistryHttp {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Until the response headers arrive; bodies are watched by {@link TimedBody}. */
  private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(Long.getLong("msbuild.registry.timeoutSeconds", 60));
  /** A plain-HTTP server may sit on a TLS hello until it sees a newline: don't wait long for one. */
  private static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(Long.getLong("msbuild.registry.tlsProbeSeconds", 10));
  private static final Duration STALL = Duration.ofSeconds(Long.getLong("msbuild.registry.stallSeconds", 60));
  private static final int MAX_REDIRECTS = 5;
  /**
   * The user name a login file gives an identity token under (Azure's refresh token): such a login
   * is exchanged for a token with an OAuth2 POST, not sent as basic auth.
   */
  static final String IDENTITY_TOKEN_USER = "<token>";
  /** Error bodies, tokens and /v2/ answers are small; anything bigger is not what was asked for. */
  static final int SMALL_BODY = 1 << 20;

  private final String registry;
  private final String apiHost;
  private final RegistryOptions options;
  private final Optional<RegistryCredential> credential;
  private final RetryPolicy retry;
  private final BuildLog log;
  private final HttpClient verified;
  private volatile HttpClient unverified;
  private volatile URI base;
  private volatile boolean insecureTls;
  private volatile Challenge challenge;
  private final ConcurrentHashMap<String, String> tokens = new ConcurrentHashMap<>();

  RegistryHttp(String registry, RegistryOptions options, Optional<RegistryCredential> credential, RetryPolicy retry, BuildLog log) {
    this.registry = registry;
    this.apiHost = apiHost(registry);
    this.options = options;
    this.credential = credential;
    this.retry = retry;
    this.log = log;
    this.verified = client(null);
  }

  /** Docker Hub's API lives at registry-1.docker.io, whatever name the image uses. */
  static String apiHost(String registry) {
    return RegistryOptions.isDockerHub(registry) ? "registry-1.docker.io" : registry;
  }

  String registry() {
    return registry;
  }

  Optional<RegistryCredential> credential() {
    return credential;
  }

  /** The scheme and host requests go to, once the first request decided it. */
  String endpoint() {
    return base == null ? "(not contacted)" : base.getScheme() + "://" + base.getAuthority() + (insecureTls ? " (TLS unverified)" : "");
  }

  /** One request to the API, before its retries. */
  record Call(String method, String target, List<String> headers, Body body, Scope scope, String action) {
    Call {
      headers = List.copyOf(headers);
    }

    static Call get(String target, Scope scope, String action, String... headers) {
      return new Call("GET", target, List.of(headers), Body.NONE, scope, action);
    }

    static Call head(String target, Scope scope, String action, String... headers) {
      return new Call("HEAD", target, List.of(headers), Body.NONE, scope, action);
    }
  }

  /** A request body that can be sent again on a retry. */
  @FunctionalInterface
  interface Body {
    Body NONE = () -> HttpRequest.BodyPublishers.noBody();

    HttpRequest.BodyPublisher publisher() throws IOException;

    static Body of(byte[] bytes) {
      return () -> HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    static Body of(java.nio.file.Path file) {
      return () -> HttpRequest.BodyPublishers.ofFile(file);
    }

    /**
     * A file whose bytes are counted as they are sent: {@code sent} gets the bytes this attempt
     * has sent so far (a retry starts again from 0). The length is still the file's, so the
     * registry gets a Content-Length, not a chunked body.
     */
    static Body of(java.nio.file.Path file, java.util.function.LongConsumer sent) {
      return () -> new CountingPublisher(HttpRequest.BodyPublishers.ofFile(file), sent);
    }
  }

  /** Passes a body on unchanged, counting its bytes on the way. */
  private static final class CountingPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher delegate;
    private final java.util.function.LongConsumer sent;

    CountingPublisher(HttpRequest.BodyPublisher delegate, java.util.function.LongConsumer sent) {
      this.delegate = delegate;
      this.sent = sent;
    }

    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
      java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
      delegate.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
          subscriber.onSubscribe(subscription);
        }

        @Override
        public void onNext(java.nio.ByteBuffer item) {
          long now = total.addAndGet(item.remaining());
          subscriber.onNext(item);
          sent.accept(now);
        }

        @Override
        public void onError(Throwable throwable) {
          subscriber.onError(throwable);
        }

        @Override
        public void onComplete() {
          subscriber.onComplete();
        }
      });
    }
  }

  /** An answer, for a {@link Reader} to take apart. */
  record Exchange(int status, HttpHeaders headers, InputStream body, URI uri) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    String contentType() {
      return headers.firstValue("Content-Type").orElse("").split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The whole body, refusing more than {@code limit} bytes. */
    byte[] bytes(int limit) throws IOException {
      byte[] read = body.readNBytes(limit + 1);
      if (read.length > limit) {
        throw new BodyTooLargeException(limit);
      }
      return read;
    }

    /** The registry's own words for an error: {@code MANIFEST_UNKNOWN: manifest unknown}. */
    String errorText() {
      try {
        return RegistryHttp.errorText(bytes(64 << 10));
      } catch (IOException e) {
        return "";
      }
    }
  }

  /** Reads an answer within one try; an IOException it throws (a reset mid-body) is retried. */
  @FunctionalInterface
  interface Reader<T> {
    T read(Exchange exchange) throws IOException;
  }

  /** More bytes than a response of this kind may have; never retried. */
  static final class BodyTooLargeException extends IOException {
    final int limit;

    BodyTooLargeException(int limit) {
      super("the response is larger than " + limit + " bytes");
      this.limit = limit;
    }
  }

  /**
   * Sends {@code call} and reads the answer with {@code reader}, retrying 5xx, 429, 408, resets
   * and timeouts with backoff. 401 leads to a login, 403 to {@link RegistryException.Kind#FORBIDDEN};
   * any other status is the reader's to judge.
   */
  <T> T send(Call call, Reader<T> reader) {
    connect(call.action());
    return withRetries(call.method() + " " + shortTarget(call.target()), call.action(), () -> {
      HttpResponse<InputStream> response = authorized(call);
      int status = response.statusCode();
      if (RetryPolicy.retryableStatus(status)) {
        String said = errorText(drain(response));
        return Attempt.retry(status, "HTTP " + status + (said.isEmpty() ? "" : " " + said), response.headers());
      }
      if (status == 403) {
        String said = errorText(drain(response));
        throw new RegistryException(RegistryException.Kind.FORBIDDEN, registry, call.action(), 403,
            said.isEmpty() ? "forbidden" : said);
      }
      refuseHtml(response, call.action());
      try (InputStream body = response.body()) {
        return Attempt.done(reader.read(new Exchange(status, response.headers(), body, response.uri())));
      }
    });
  }

  /** The outcome of one try: a value, or a failure worth another try. */
  private record Attempt<T>(T value, boolean retry, int status, String problem, Optional<HttpHeaders> headers) {
    static <T> Attempt<T> done(T value) {
      return new Attempt<>(value, false, 0, "", Optional.empty());
    }

    static <T> Attempt<T> retry(int status, String problem, HttpHeaders headers) {
      return new Attempt<>(null, true, status, problem, Optional.ofNullable(headers));
    }
  }

  @FunctionalInterface
  private interface Try<T> {
    Attempt<T> run() throws IOException, InterruptedException;
  }

  private <T> T withRetries(String what, String action, Try<T> attempt) {
    int lastStatus = 0;
    Throwable lastError = null;
    for (int n = 1; ; n++) {
      Attempt<T> outcome;
      try {
        outcome = attempt.run();
      } catch (BodyTooLargeException e) {
        throw new RegistryException(RegistryException.Kind.TOO_LARGE, registry, action, 0, e.getMessage(), e);
      } catch (IOException e) {
        lastError = e;
        outcome = Attempt.retry(0, describe(e), null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(RegistryException.Kind.UNAVAILABLE, registry, action, 0, "interrupted", e);
      }
      if (!outcome.retry()) {
        return outcome.value();
      }
      lastStatus = outcome.status() > 0 ? outcome.status() : lastStatus;
      if (n >= retry.tries()) {
        throw new RegistryException(RegistryException.Kind.UNAVAILABLE, registry, action, outcome.status(),
            outcome.problem() + " on " + what + ", " + n + (n == 1 ? " try" : " tries"), lastError);
      }
      Duration wait = retry.delayBefore(n + 1, outcome.headers());
      log.warn(String.format("Registry %s: %s on %s; retrying in %.1f s (try %d of %d)", registry, outcome.problem(), what,
          wait.toMillis() / 1000.0, n + 1, retry.tries()));
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(RegistryException.Kind.UNAVAILABLE, registry, action, lastStatus, "interrupted", e);
      }
    }
  }

  /** A TLS failure, which decides the scheme rather than being retried. */
  private static final class TlsFailure extends RuntimeException {
    TlsFailure(SSLException cause) {
      super(cause);
    }
  }

  // ---- the scheme, decided once ---------------------------------------------------------------

  /** Decides how to reach the registry, by asking its /v2/ once; later calls return at once. */
  void connect(String action) {
    if (base != null) {
      return;
    }
    synchronized (this) {
      if (base == null) {
        probe(action);
      }
    }
  }

  private void probe(String action) {
    if (options.allowInsecure() && explicitPort()) {
      // One port speaks TLS or plain HTTP, never both: a plaintext /v2/ tells which at once,
      // where a TLS hello to a plain-HTTP server may go unanswered for seconds.
      if (answersPlainHttp(action)) {
        base = URI.create("http://" + apiHost + "/v2/");
        log.debug("Registry " + registry + " speaks plain HTTP (allowed by <allowInsecureRegistries>)");
        return;
      }
    }
    URI https = URI.create("https://" + apiHost + "/v2/");
    try {
      ping(verified, https, action, options.allowInsecure(), false);
      base = https;
      return;
    } catch (TlsFailure e) {
      if (!options.allowInsecure()) {
        throw new RegistryException(RegistryException.Kind.NO_VERIFIED_TLS, registry, action, 0,
            "no verified HTTPS (" + describe(e.getCause()) + ")", e.getCause());
      }
      log.debug("Registry " + registry + ": HTTPS not verified (" + describe(e.getCause()) + "); trying without verification");
    } catch (HttpFallback e) {
      log.debug("Registry " + registry + ": " + e.getMessage() + " over HTTPS; trying plain HTTP");
      pingHttp(action);
      return;
    }
    try {
      ping(unverifiedClient(), https, action, true, false);
      base = https;
      insecureTls = true;
      log.warn("Registry " + registry + " is reached over HTTPS WITHOUT certificate verification (allowed by "
          + "<allowInsecureRegistries>)");
    } catch (TlsFailure | HttpFallback e) {
      pingHttp(action);
    }
  }

  private boolean explicitPort() {
    return apiHost.matches(".*:[0-9]+$") && !apiHost.endsWith("]");
  }

  /**
   * Whether a registry answers /v2/ in plain HTTP. A TLS port answers a plaintext request with
   * an alert, a reset or a 400: no. A registry's 200 or 401 (or its 5xx, retried): yes.
   */
  private boolean answersPlainHttp(String action) {
    try {
      ping(verified, URI.create("http://" + apiHost + "/v2/"), action, false, true);
      return true;
    } catch (NotPlainHttp e) {
      return false;
    }
  }

  /** A plaintext /v2/ that got a 400: a TLS server telling an HTTP client off. */
  private static final class NotPlainHttp extends RuntimeException {
    NotPlainHttp() {
      super("a TLS port", null, false, false);
    }
  }

  private void pingHttp(String action) {
    URI http = URI.create("http://" + apiHost + "/v2/");
    try {
      ping(verified, http, action, false, false);
    } catch (TlsFailure | HttpFallback e) {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, registry, action, 0, "no answer over HTTPS or HTTP");
    }
    base = http;
    log.debug("Registry " + registry + " speaks plain HTTP (allowed by <allowInsecureRegistries>)");
  }

  /** HTTPS got no answer of any kind: worth trying plain HTTP, when insecure registries are allowed. */
  private static final class HttpFallback extends RuntimeException {
    HttpFallback(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * GET /v2/: a registry answers 200 or 401; the 401 says how to log in.
   *
   * @param sniff a plaintext probe of a port that may be TLS: no HTTP answer means "not HTTP"
   */
  private void ping(HttpClient client, URI uri, String action, boolean mayFallBack, boolean sniff) {
    boolean tls = uri.getScheme().equals("https");
    withRetries("GET /v2/", action, () -> {
      HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(tls ? TLS_PROBE_TIMEOUT : HEADERS_TIMEOUT)
          .header("User-Agent", userAgent()).build();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, TimedBody.handler(STALL));
      } catch (SSLException e) {
        if (!tls) {
          throw e;
        }
        throw new TlsFailure(e);
      } catch (ConnectException e) {
        if (mayFallBack && uri.getPort() < 0) {
          throw new HttpFallback("cannot connect to port 443");
        }
        throw e;
      } catch (HttpTimeoutException e) {
        // The JDK counts the TLS handshake as part of connecting: a timeout here may be a
        // plain-HTTP server sitting on the TLS hello as well as a host that does not answer.
        if (!tls) {
          if (sniff) {
            throw new NotPlainHttp();
          }
          throw e;
        }
        if (mayFallBack) {
          throw new HttpFallback("no answer to a TLS hello");
        }
        throw new RegistryException(RegistryException.Kind.NO_VERIFIED_TLS, registry, action, 0,
            "no answer over HTTPS within " + TLS_PROBE_TIMEOUT.toSeconds() + " s (a plain-HTTP registry?)", e);
      } catch (IOException e) {
        if (sniff) {
          throw new NotPlainHttp();
        }
        throw e;
      }
      int status = response.statusCode();
      if (RetryPolicy.retryableStatus(status)) {
        drain(response);
        return Attempt.retry(status, "HTTP " + status, response.headers());
      }
      byte[] body = drain(response);
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.toLowerCase(Locale.ROOT).startsWith("text/html") || ManifestCodec.looksLikeHtml(body)) {
        throw notARegistry(action, status, "its /v2/ endpoint answers with an HTML page (a login page or a proxy?), not the registry API");
      }
      if (status == 200 && !isJsonOrEmpty(body)) {
        throw notARegistry(action, status, "its /v2/ endpoint answers " + (type.isEmpty() ? "something" : type)
            + " that is not the registry API's JSON");
      }
      if (status == 401) {
        challenge = Challenge.of(response.headers()).orElse(null);
        if (challenge == null) {
          throw notARegistry(action, status, "its /v2/ endpoint answers 401 without saying how to log in (no WWW-Authenticate)");
        }
      } else if (status == 400 && sniff) {
        throw new NotPlainHttp();
      } else if (status != 200) {
        throw notARegistry(action, status, "its /v2/ endpoint answers HTTP " + status + ", not the registry API's 200 or 401");
      }
      if (response.headers().firstValue("Docker-Distribution-API-Version").isEmpty()) {
        log.debug("Registry " + registry + " sends no Docker-Distribution-API-Version header");
      }
      return Attempt.done(null);
    });
  }

  private RegistryException notARegistry(String action, int status, String detail) {
    return new RegistryException(RegistryException.Kind.NOT_A_REGISTRY, registry, action, status, detail);
  }

  /** A 2xx answer that is an HTML page is a login page or a proxy's, never the registry's. */
  private void refuseHtml(HttpResponse<InputStream> response, String action) throws IOException {
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (response.statusCode() / 100 == 2 && type.startsWith("text/html")) {
      drain(response);
      throw notARegistry(action, response.statusCode(), "it answers " + shortTarget(response.uri().getPath())
          + " with an HTML page (a login page or a proxy?), not the registry API");
    }
  }

  // ---- requests with logins and redirects ------------------------------------------------------

  private HttpResponse<InputStream> authorized(Call call) throws IOException, InterruptedException {
    URI uri = resolve(call.target());
    Optional<String> authorization = authorization(call.scope(), call.action(), false);
    HttpResponse<InputStream> response = exchange(call, uri, authorization);
    if (response.statusCode() != 401) {
      return response;
    }
    String said = errorText(drain(response));
    Optional<Challenge> asked = Challenge.of(response.headers());
    if (asked.isPresent()) {
      challenge = asked.get();
    }
    if (challenge == null) {
      throw unauthorized(call.action(), said);
    }
    if (!challenge.bearer() && (authorization.isPresent() || credential.isEmpty())) {
      throw unauthorized(call.action(), said);
    }
    // A bearer token may have expired, or the scope changed: one fresh login, then give up.
    Optional<String> fresh = authorization(call.scope(), call.action(), true);
    response = exchange(call, uri, fresh);
    if (response.statusCode() == 401) {
      throw unauthorized(call.action(), errorText(drain(response)));
    }
    return response;
  }

  private RegistryException unauthorized(String action, String said) {
    return new RegistryException(RegistryException.Kind.UNAUTHORIZED, registry, action, 401,
        said.isEmpty() ? "unauthorized" : said);
  }

  /** Sends one request and follows redirects (blob downloads go to storage), dropping the login on the way. */
  private HttpResponse<InputStream> exchange(Call call, URI uri, Optional<String> authorization)
      throws IOException, InterruptedException {
    Optional<String> auth = authorization;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT)
          .method(call.method(), call.body().publisher()).header("User-Agent", userAgent());
      for (int i = 0; i + 1 < call.headers().size(); i += 2) {
        builder.header(call.headers().get(i), call.headers().get(i + 1));
      }
      auth.ifPresent(a -> builder.header("Authorization", a));
      HttpResponse<InputStream> response = clientFor(uri).send(builder.build(), TimedBody.handler(STALL));
      int status = response.statusCode();
      boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      boolean followable = call.method().equals("GET") || call.method().equals("HEAD");
      if (!redirect || !followable || response.headers().firstValue("Location").isEmpty()) {
        return response;
      }
      drain(response);
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryException(RegistryException.Kind.INVALID, registry, call.action(), status, "more than "
            + MAX_REDIRECTS + " redirects");
      }
      URI next = uri.resolve(response.headers().firstValue("Location").get());
      if (next.getScheme().equals("http") && !options.allowInsecure()) {
        throw new RegistryException(RegistryException.Kind.NO_VERIFIED_TLS, registry, call.action(), status,
            "it redirects to plain HTTP (" + next.getHost() + ")");
      }
      if (!next.getAuthority().equals(uri.getAuthority())) {
        auth = Optional.empty();
      }
      uri = next;
    }
  }

  private URI resolve(String target) {
    return target.startsWith("http://") || target.startsWith("https://") ? URI.create(target) : base.resolve(target);
  }

  private HttpClient clientFor(URI uri) {
    boolean sameHost = base != null && uri.getAuthority().equals(base.getAuthority());
    return insecureTls && sameHost ? unverifiedClient() : verified;
  }

  /**
   * The Authorization header for {@code scope}: a bearer token (fetched once per scope, or again
   * when {@code fresh}), or basic auth when that is what the registry asked for.
   */
  private Optional<String> authorization(Scope scope, String action, boolean fresh) throws IOException, InterruptedException {
    Challenge c = challenge;
    if (c == null || scope == null) {
      return Optional.empty();
    }
    if (!c.bearer()) {
      if (credential.isEmpty()) {
        return Optional.empty();
      }
      refuseCredentialsOverHttp(base, action);
      return Optional.of(basic(credential.get()));
    }
    String key = scope.key();
    if (!fresh) {
      String token = tokens.get(key);
      if (token != null) {
        return Optional.of("Bearer " + token);
      }
    }
    String token = token(c, scope, action);
    tokens.put(key, token);
    return Optional.of("Bearer " + token);
  }

  /** A token from the realm the registry named, logged in with the credential when there is one. */
  private String token(Challenge c, Scope scope, String action) {
    StringBuilder url = new StringBuilder(c.realm()).append(c.realm().contains("?") ? "&" : "?");
    List<String> params = new ArrayList<>();
    if (!c.service().isEmpty()) {
      params.add("service=" + URLEncoder.encode(c.service(), StandardCharsets.UTF_8));
    }
    scope.parameters().forEach(s -> params.add("scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8)));
    url.append(String.join("&", params));
    URI uri = URI.create(url.toString());
    Optional<String> login = Optional.empty();
    if (credential.isPresent()) {
      refuseCredentialsOverHttp(uri, action);
      login = Optional.of(basic(credential.get()));
    }
    Optional<String> auth = login;
    boolean identityToken = credential.isPresent() && credential.get().username().equals(IDENTITY_TOKEN_USER);
    return withRetries((identityToken ? "POST " : "GET ") + uri.getHost() + uri.getPath(), action, () -> {
      HttpRequest.Builder builder;
      if (identityToken) {
        // OAuth2: the identity token is a refresh token, traded at the realm for an access token.
        List<String> form = new ArrayList<>(List.of("grant_type=refresh_token", "client_id=msbuild-maven-plugin",
            "refresh_token=" + URLEncoder.encode(credential.get().password(), StandardCharsets.UTF_8)));
        form.addAll(params);
        builder = HttpRequest.newBuilder(URI.create(c.realm())).timeout(HEADERS_TIMEOUT).header("User-Agent", userAgent())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", form)));
      } else {
        builder = HttpRequest.newBuilder(uri).GET().timeout(HEADERS_TIMEOUT).header("User-Agent", userAgent());
        auth.ifPresent(a -> builder.header("Authorization", a));
      }
      HttpClient client = insecureTls && uri.getAuthority().equals(base.getAuthority()) ? unverifiedClient() : verified;
      HttpResponse<InputStream> response = client.send(builder.build(), TimedBody.handler(STALL));
      int status = response.statusCode();
      if (RetryPolicy.retryableStatus(status)) {
        drain(response);
        return Attempt.retry(status, "HTTP " + status + " from the token service", response.headers());
      }
      byte[] body = drain(response);
      if (status == 401 || status == 403) {
        throw new RegistryException(status == 401 ? RegistryException.Kind.UNAUTHORIZED : RegistryException.Kind.FORBIDDEN,
            registry, action, status, "the token service " + uri.getHost() + " refused the login" + suffix(errorText(body)));
      }
      if (status != 200) {
        throw new RegistryException(RegistryException.Kind.INVALID, registry, action, status,
            "the token service " + uri.getHost() + " answered HTTP " + status + suffix(errorText(body)));
      }
      JsonNode json;
      try {
        json = ManifestCodec.JSON.readTree(body);
      } catch (IOException e) {
        throw notARegistry(action, status, "its token service " + uri.getHost() + " answers with something that is not JSON");
      }
      String token = json == null ? "" : json.path("token").asText(json.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw notARegistry(action, status, "its token service " + uri.getHost() + " gave no token");
      }
      return Attempt.done(token);
    });
  }

  private void refuseCredentialsOverHttp(URI uri, String action) {
    if (uri.getScheme().equals("http") && !options.sendCredentialsOverHttp()) {
      throw new RegistryException(RegistryException.Kind.CREDENTIALS_WITHHELD, registry, action, 401,
          "it asks for a login over plain HTTP, and the credentials were not sent");
    }
  }

  private static String basic(RegistryCredential c) {
    return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
  }

  // ---- small helpers -----------------------------------------------------------------------------

  private HttpClient unverifiedClient() {
    HttpClient c = unverified;
    if (c == null) {
      synchronized (this) {
        if (unverified == null) {
          unverified = client(trustAll());
        }
        c = unverified;
      }
    }
    return c;
  }

  private static HttpClient client(SSLContext ssl) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    return builder.build();
  }

  /** Accepts any certificate for any name; used only for registries the user allowed to be insecure. */
  private static SSLContext trustAll() {
    X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String type, java.net.Socket s) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String type, java.net.Socket s) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String type, SSLEngine e) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String type, SSLEngine e) {}
      @Override public void checkClientTrusted(X509Certificate[] chain, String type) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String type) {}
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {any}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no TLS", e);
    }
  }

  /** Reads what is left of a small body and closes it, so the connection can be reused. */
  private static byte[] drain(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      return in.readNBytes(64 << 10);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static boolean isJsonOrEmpty(byte[] body) {
    if (new String(body, StandardCharsets.UTF_8).isBlank()) {
      return true;
    }
    try {
      ManifestCodec.JSON.readTree(body);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The registry's error codes and messages, one line: {@code MANIFEST_UNKNOWN: manifest unknown}. */
  static String errorText(byte[] body) {
    if (body.length == 0) {
      return "";
    }
    try {
      JsonNode json = ManifestCodec.JSON.readTree(body);
      List<String> parts = new ArrayList<>();
      if (json != null) {
        for (JsonNode error : json.path("errors")) {
          String code = error.path("code").asText("");
          String message = error.path("message").asText("");
          parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
        }
      }
      return String.join("; ", parts);
    } catch (IOException e) {
      return "";
    }
  }

  private static String suffix(String said) {
    return said.isEmpty() ? "" : " (" + said + ")";
  }

  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.UnknownHostException || cause instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  /** A path short enough for a log line: digests cut to 12 hex digits. */
  static String shortTarget(String target) {
    String path = target;
    if (path.startsWith("http://") || path.startsWith("https://")) {
      path = URI.create(path).getPath();
    }
    return path.replaceAll("(sha256:[0-9a-f]{12})[0-9a-f]{52}", "$1…").replaceAll("\\?.*$", "");
  }

  private static String userAgent() {
    return "msbuild-maven-plugin";
  }
}
