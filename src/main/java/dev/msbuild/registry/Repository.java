package dev.msbuild.registry;

import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * One repository of a registry, as the distribution API sees it: manifests and blobs read (each
 * checked against the digest that named it), blobs and manifests written. Every answer is checked
 * to be what the API defines; anything else is a {@link RegistryException}.
 */
public final class Repository {
  /** Manifests and configs are small; a bigger one is not what was asked for. */
  static final int MANIFEST_LIMIT = 4 << 20;

  private final RegistryHttp http;
  private final String name;
  private final Scope pull;

  Repository(RegistryHttp http, String name) {
    this.http = http;
    this.name = name;
    this.pull = Scope.pull(name);
  }

  public String registry() {
    return http.registry();
  }

  public String name() {
    return name;
  }

  /** How the registry was reached: scheme, host, and whether TLS was verified. */
  public String endpoint() {
    return http.endpoint();
  }

  private String path(String kind, String reference) {
    return "/v2/" + name + "/" + kind + "/" + reference;
  }

  /**
   * The manifest or index {@code reference} (a tag or a digest) names. When the reference is a
   * digest, or {@code expected} is given, the bytes must hash to it.
   */
  public Manifest manifest(String reference, Optional<Digest> expected) {
    String action = "pull " + name + (Digest.isDigest(reference) ? "@" : ":") + reference;
    Optional<Digest> want = expected.or(() -> Digest.isDigest(reference) ? Optional.of(Digest.parse(reference)) : Optional.empty());
    return http.send(
        RegistryHttp.Call.get(path("manifests", reference), pull, action, "Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS)),
        exchange -> {
          if (exchange.status() == 404) {
            throw notFound(action, exchange);
          }
          expectStatus(exchange, action, 200);
          byte[] bytes;
          try {
            bytes = exchange.bytes(MANIFEST_LIMIT);
          } catch (RegistryHttp.BodyTooLargeException e) {
            throw new RegistryException(RegistryException.Kind.TOO_LARGE, registry(), action, 200,
                "the manifest is larger than " + (MANIFEST_LIMIT >> 20) + " MiB");
          }
          Manifest manifest;
          try {
            manifest = ManifestCodec.parse(bytes, exchange.header("Content-Type").orElse(null));
          } catch (ManifestCodec.InvalidManifestException e) {
            throw new RegistryException(RegistryException.Kind.NOT_A_REGISTRY, registry(), action, 200,
                "what it serves as the manifest is not one: " + e.getMessage());
          }
          if (want.isPresent() && !manifest.digest().equals(want.get())) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 200,
                "it served content of digest " + manifest.digest() + " for " + want.get());
          }
          return manifest;
        });
  }

  /**
   * What the registry's referrers API lists for {@code subject}; empty when it has no such API
   * (any answer but 200 with an index).
   */
  public Optional<Manifest.Index> referrers(Digest subject) {
    String action = "list the referrers of " + name + "@" + subject;
    return http.send(RegistryHttp.Call.get(path("referrers", subject.toString()), pull, action, "Accept", MediaTypes.OCI_INDEX),
        exchange -> {
          if (exchange.status() != 200) {
            return Optional.empty();
          }
          try {
            return ManifestCodec.parse(exchange.bytes(MANIFEST_LIMIT), MediaTypes.OCI_INDEX) instanceof Manifest.Index index
                ? Optional.of(index) : Optional.empty();
          } catch (ManifestCodec.InvalidManifestException | RegistryHttp.BodyTooLargeException e) {
            return Optional.<Manifest.Index>empty();
          }
        });
  }

  /**
   * The digest the registry says {@code tag} points at, from a HEAD request (no body); empty when
   * it does not say. What it says only picks which already verified image to use.
   */
  public Optional<Digest> headDigest(String tag) {
    String action = "check " + name + ":" + tag;
    return http.send(
        RegistryHttp.Call.head(path("manifests", tag), pull, action, "Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS)),
        exchange -> {
          if (exchange.status() == 404) {
            throw notFound(action, exchange);
          }
          expectStatus(exchange, action, 200);
          return exchange.header("Docker-Content-Digest").map(String::trim).filter(Digest::isDigest).map(Digest::parse);
        });
  }

  /** The digest a tag points at now, read from the manifest's own bytes; empty when there is no such tag. */
  public Optional<Digest> tagDigest(String tag) {
    try {
      return Optional.of(manifest(tag, Optional.empty()).digest());
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The blob's size when the repository has it. */
  public Optional<Long> blobSize(Digest digest) {
    String action = "check blob " + digest.shortForm() + " in " + name;
    return http.send(RegistryHttp.Call.head(path("blobs", digest.toString()), pull, action), exchange -> {
      if (exchange.status() == 404) {
        return Optional.empty();
      }
      expectStatus(exchange, action, 200);
      Optional<String> said = exchange.header("Docker-Content-Digest");
      if (said.isPresent() && !said.get().trim().equals(digest.toString())) {
        throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 200,
            "it says blob " + digest + " has digest " + said.get());
      }
      Optional<Long> size = exchange.header("Content-Length").map(String::trim).map(Long::parseLong);
      if (size.isEmpty()) {
        throw new RegistryException(RegistryException.Kind.NOT_A_REGISTRY, registry(), action, 200,
            "it answers a blob check without a Content-Length");
      }
      return size;
    });
  }

  /** A small blob (a config) in memory, checked against its digest and size. */
  public byte[] blobBytes(Descriptor blob) {
    String action = "pull blob " + blob.digest().shortForm() + " from " + name;
    if (blob.size() > MANIFEST_LIMIT) {
      throw new RegistryException(RegistryException.Kind.TOO_LARGE, registry(), action, 0,
          "its descriptor says " + blob.size() + " bytes, more than the " + (MANIFEST_LIMIT >> 20) + " MiB a config may have");
    }
    return http.send(RegistryHttp.Call.get(path("blobs", blob.digest().toString()), pull, action), exchange -> {
      if (exchange.status() == 404) {
        throw notFound(action, exchange);
      }
      expectStatus(exchange, action, 200);
      byte[] bytes = exchange.bytes((int) blob.size());
      if (!Digest.of(bytes).equals(blob.digest())) {
        if (bytes.length < blob.size()) {
          throw new IOException("the blob ended after " + bytes.length + " of " + blob.size() + " bytes");
        }
        throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 200,
            "it served content of digest " + Digest.of(bytes) + " for " + blob.digest());
      }
      return bytes;
    });
  }

  /**
   * Downloads a blob into {@code file} (overwritten on each try), counting bytes into
   * {@code progress}; the bytes must be exactly as many as the descriptor says and hash to its digest.
   */
  public void blobToFile(Descriptor blob, Path file, LongConsumer progress) {
    String action = "pull blob " + blob.digest().shortForm() + " from " + name;
    http.send(RegistryHttp.Call.get(path("blobs", blob.digest().toString()), pull, action), exchange -> {
      if (exchange.status() == 404) {
        throw notFound(action, exchange);
      }
      expectStatus(exchange, action, 200);
      MessageDigest sha256 = Digest.newSha256();
      long total = 0;
      try (InputStream in = new DigestInputStream(exchange.body(), sha256);
          OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
          if (total > blob.size()) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 200,
                "it sends more than the " + blob.size() + " bytes the manifest gives blob " + blob.digest());
          }
          out.write(buffer, 0, n);
          progress.accept(n);
        }
      }
      if (total < blob.size()) {
        progress.accept(-total);
        throw new IOException("the download ended after " + total + " of " + blob.size() + " bytes");
      }
      Digest got = Digest.of(sha256);
      if (!got.equals(blob.digest())) {
        throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 200,
            "it served content of digest " + got + " for " + blob.digest());
      }
      return null;
    });
  }

  /** How a blob came to be in the repository. */
  public enum BlobOutcome {
    /** It was there already. */
    PRESENT,
    /** The registry linked it from another repository: nothing was sent. */
    MOUNTED,
    /** Its bytes were sent. */
    UPLOADED
  }

  /**
   * Makes sure the repository holds {@code blob}: checked first, then mounted from
   * {@code mountFrom} (a repository of the same registry) when given, else uploaded from
   * {@code file} (null for {@code bytes}).
   */
  public BlobOutcome pushBlob(Descriptor blob, Path file, byte[] bytes, Optional<String> mountFrom) {
    return pushBlob(blob, file, bytes, mountFrom, sent -> {});
  }

  /**
   * {@link #pushBlob(Descriptor, Path, byte[], Optional)}, telling {@code sent} how many bytes of
   * {@code file} the current upload attempt has sent, for progress.
   */
  public BlobOutcome pushBlob(Descriptor blob, Path file, byte[] bytes, Optional<String> mountFrom,
      java.util.function.LongConsumer sent) {
    if (blobSize(blob.digest()).filter(s -> s == blob.size()).isPresent()) {
      return BlobOutcome.PRESENT;
    }
    String action = "push blob " + blob.digest().shortForm() + " to " + name;
    Scope push = Scope.push(name, mountFrom.map(List::of).orElse(List.of()));
    // An upload that failed half-way is started again from a new session (its Location may be gone).
    String start = path("blobs", "uploads/") + mountFrom.map(from -> "?mount=" + blob.digest() + "&from=" + from).orElse("");
    for (int round = 1; ; round++) {
      boolean mayRestart = round < 3;
      Upload upload = http.send(new RegistryHttp.Call("POST", start, List.of(), RegistryHttp.Body.NONE, push, action),
          exchange -> {
            if (exchange.status() == 201 && mountFrom.isPresent()) {
              return new Upload(null, true);
            }
            if (exchange.status() == 404) {
              throw notFound(action, exchange);
            }
            expectStatus(exchange, action, 202);
            String location = exchange.header("Location").orElseThrow(() -> new RegistryException(
                RegistryException.Kind.NOT_A_REGISTRY, registry(), action, 202, "it started an upload without a Location"));
            return new Upload(exchange.uri().resolve(location), false);
          });
      if (upload.mounted()) {
        return BlobOutcome.MOUNTED;
      }
      String target = upload.location() + (upload.location().getRawQuery() == null ? "?" : "&") + "digest=" + blob.digest();
      RegistryHttp.Body body = file != null ? RegistryHttp.Body.of(file, sent) : RegistryHttp.Body.of(bytes);
      Boolean done = http.send(new RegistryHttp.Call("PUT", target, List.of("Content-Type", "application/octet-stream"), body, push, action),
          exchange -> {
            if (exchange.status() == 404 && mayRestart) {
              // The session is gone: an earlier try completed it, or the registry dropped it.
              return false;
            }
            expectStatus(exchange, action, 201);
            Optional<String> said = exchange.header("Docker-Content-Digest");
            if (said.isPresent() && !said.get().trim().equals(blob.digest().toString())) {
              throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 201,
                  "it stored blob " + blob.digest() + " as " + said.get());
            }
            return true;
          });
      if (done || blobSize(blob.digest()).filter(s -> s == blob.size()).isPresent()) {
        return BlobOutcome.UPLOADED;
      }
    }
  }

  private record Upload(URI location, boolean mounted) {}

  /**
   * Whether this login may push here, asked before anything is built: an upload is started and
   * cancelled at once, which a registry refuses with 401 or 403 when pushing is not allowed.
   */
  public void checkPush() {
    String action = "push to " + name;
    Scope push = Scope.push(name, List.of());
    URI location = http.send(new RegistryHttp.Call("POST", path("blobs", "uploads/"), List.of(), RegistryHttp.Body.NONE, push, action),
        exchange -> {
          if (exchange.status() == 404) {
            throw notFound(action, exchange);
          }
          expectStatus(exchange, action, 202);
          return exchange.header("Location").map(l -> exchange.uri().resolve(l)).orElse(null);
        });
    if (location != null) {
      try {
        http.send(new RegistryHttp.Call("DELETE", location.toString(), List.of(), RegistryHttp.Body.NONE, push, action),
            exchange -> null);
      } catch (RegistryException e) {
        // An upload nobody finishes expires on its own; the check itself succeeded.
      }
    }
  }

  /**
   * Writes a manifest under {@code reference} (a tag, or its own digest). A registry that says it
   * stored other bytes than these is refused.
   *
   * @return whether the registry said it indexed the manifest's {@code subject} (the OCI-Subject
   *     header of the referrers API); false for a manifest without one, or a registry without the API
   */
  public boolean putManifest(String reference, Manifest manifest) {
    String action = "push " + name + (Digest.isDigest(reference) ? "@" : ":") + reference;
    return http.send(new RegistryHttp.Call("PUT", path("manifests", reference), List.of("Content-Type", manifest.mediaType()),
        RegistryHttp.Body.of(manifest.bytes()), Scope.push(name, List.of()), action), exchange -> {
          if (exchange.status() == 404) {
            throw notFound(action, exchange);
          }
          if (exchange.status() == 400 || exchange.status() == 415) {
            throw new RegistryException(RegistryException.Kind.INVALID, registry(), action, exchange.status(),
                "it refused the " + manifest.mediaType() + " manifest" + said(exchange));
          }
          expectStatus(exchange, action, 201);
          Optional<String> said = exchange.header("Docker-Content-Digest");
          if (said.isPresent() && !said.get().trim().equals(manifest.digest().toString())) {
            throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, registry(), action, 201,
                "it stored the manifest " + manifest.digest() + " as " + said.get());
          }
          return exchange.header("OCI-Subject").isPresent();
        });
  }

  private RegistryException notFound(String action, RegistryHttp.Exchange exchange) {
    String said = exchange.errorText();
    return new RegistryException(RegistryException.Kind.NOT_FOUND, registry(), action, 404, said.isEmpty() ? "not found" : said);
  }

  private void expectStatus(RegistryHttp.Exchange exchange, String action, int expected) {
    if (exchange.status() != expected) {
      throw new RegistryException(RegistryException.Kind.INVALID, registry(), action, exchange.status(),
          "it answered HTTP " + exchange.status() + " where the registry API gives " + expected + said(exchange));
    }
  }

  private static String said(RegistryHttp.Exchange exchange) {
    String text = exchange.errorText();
    return text.isEmpty() ? "" : " (" + text + ")";
  }
}
