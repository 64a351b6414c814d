package dev.msbuild.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.CacheSpec;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import dev.msbuild.registry.Registries;
import dev.msbuild.registry.Repository;
import dev.msbuild.registry.RetryPolicy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry cache against the test bed's registry (the CNCF distribution registry): entries
 * exported by one runner are found by another with an empty cache directory, Go-cache-like
 * directories go up in chunks of only what is new, and a registry that is down, failing or holding
 * a damaged entry costs one warning and never the build.
 */
class RegistryCacheIT {
  private static String registry;
  @TempDir Path dir;
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final List<String> infos = Collections.synchronizedList(new ArrayList<>());
  private final BuildLog log = new BuildLog() {
    @Override public void info(String message) { infos.add(message); }
    @Override public void warn(String message) { warnings.add(message); }
    @Override public void debug(String message) {}
  };

  @BeforeAll
  static void testBed() {
    registry = System.getProperty("testbed.registry");
    if (registry == null || registry.isBlank()) {
      throw new IllegalStateException("testbed.registry is not set: run this test through mvn verify, which starts the test bed");
    }
  }

  private CacheRegistry cache(String host, String repository, CacheSpec.Mode mode, long maxBytes, Path scratch) {
    CacheSpec spec = new CacheSpec(Optional.of(ImageName.parse(host + "/" + repository, Setting.CACHE_REGISTRY)), mode,
        RegistryAuth.none(Setting.CACHE_AUTH), maxBytes);
    Registries registries = new Registries(new RegistryOptions(true, false, Map.of(), RegistryOptions.ServerCredentials.NONE,
        dir.resolve("no-docker-config.json")), new RetryPolicy(2, Duration.ofMillis(50), Duration.ofSeconds(1)),
        CacheRegistry.clientLog(log));
    return new CacheRegistry(spec, () -> registries.repository(host, repository, Optional.empty()), scratch, log);
  }

  private Repository repository(String repository) {
    Registries registries = new Registries(new RegistryOptions(true, false, Map.of(), RegistryOptions.ServerCredentials.NONE,
        dir.resolve("no-docker-config.json")), log);
    return registries.repository(registry, repository, Optional.empty());
  }

  private static String unique() {
    return "cache/it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The cache on a registry that wants a login, logged in to the way {@code <cache><auth>} does. */
  private CacheRegistry loggedIn(String host, String repository, String password, Path scratch) {
    CacheSpec spec = new CacheSpec(Optional.of(ImageName.parse(host + "/" + repository, Setting.CACHE_REGISTRY)),
        CacheSpec.Mode.READ_WRITE, new RegistryAuth(Optional.of(new RegistryCredential("msbuild", password, Setting.CACHE_AUTH.xml())),
            Optional.empty(), Setting.CACHE_AUTH), 1L << 30);
    Registries registries = new Registries(new RegistryOptions(true, true, Map.of(), RegistryOptions.ServerCredentials.NONE,
        dir.resolve("no-docker-config.json")), new RetryPolicy(2, Duration.ofMillis(50), Duration.ofSeconds(1)),
        CacheRegistry.clientLog(log));
    return new CacheRegistry(spec, () -> registries.repository(host, repository, registries.login(host, spec.auth())), scratch, log);
  }

  @Test
  void aRegistryThatWantsALoginGetsTheOneGivenAsForTo() throws IOException {
    String auth = System.getProperty("testbed.authRegistry");
    String repo = unique();
    RegistryStageCache a = stageCache(loggedIn(auth, repo, "s3cret-pw", dir.resolve("a")), "a");
    a.put("build-5555", d -> Files.writeString(d.resolve("artifact"), "behind a login"));
    a.export();
    assertEquals(List.of(), warnings);
    RegistryStageCache b = stageCache(loggedIn(auth, repo, "s3cret-pw", dir.resolve("b")), "b");
    assertEquals("behind a login", Files.readString(b.find("build-5555").orElseThrow().file("artifact")));

    RegistryStageCache refused = stageCache(loggedIn(auth, repo, "wrong-pw", dir.resolve("c")), "c");
    assertTrue(refused.find("build-5555").isEmpty());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("the build goes on without the registry cache"), warnings.get(0));
    assertFalse(String.join("\n", infos).contains("wrong-pw") || warnings.get(0).contains("wrong-pw"), "the password is never logged");
  }

  private RegistryStageCache stageCache(CacheRegistry registry, String name) {
    return new RegistryStageCache(new LocalStageCache(dir.resolve(name), 1L << 30), registry);
  }

  @Test
  void anEntryExportedByOneRunnerIsFoundByAnotherWithAnEmptyCache() throws IOException {
    String repo = unique();
    RegistryStageCache a = stageCache(cache(registry, repo, CacheSpec.Mode.READ_WRITE, 1L << 30, dir.resolve("a")), "a");
    a.put("build-0123abcd", d -> {
      Files.createDirectories(d.resolve("artifacts"));
      Files.writeString(d.resolve("artifacts/app"), "the program");
      Files.writeString(d.resolve("list.txt"), "app\n");
    });
    a.export();
    assertTrue(infos.stream().anyMatch(m -> m.startsWith("Registry cache: exported build-0123abcd")), String.join("\n", infos));

    CacheRegistry remote = cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("b"));
    RegistryStageCache b = stageCache(remote, "b");
    Optional<StageCache.Entry> found = b.find("build-0123abcd");
    assertTrue(found.isPresent());
    assertEquals("the program", Files.readString(found.get().file("artifacts/app")));
    assertEquals("app\n", Files.readString(found.get().file("list.txt")));
    assertFalse(Files.exists(found.get().file(".used.tar")));
    // Now it is on this machine: found there without the registry.
    assertTrue(new LocalStageCache(dir.resolve("b"), 1L << 30).find("build-0123abcd").isPresent());
    assertTrue(b.find("build-99999999").isEmpty());
    assertTrue(remote.summary().orElseThrow().contains("1 hit, 1 miss"), remote.summary().orElseThrow());
    assertEquals(List.of(), warnings);
  }

  @Test
  void readModeExportsNothing() throws IOException {
    String repo = unique();
    RegistryStageCache a = stageCache(cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("a")), "a");
    a.put("build-0000aaaa", d -> Files.writeString(d.resolve("x"), "x"));
    a.export();
    assertTrue(repository(repo).tagDigest("build-0000aaaa").isEmpty());
  }

  @Test
  void aDirectoryGoesUpInChunksOfWhatIsNew() throws IOException {
    String repo = unique();
    Path go = dir.resolve("gocache");
    write(go, "00/0a-a", "action 1");
    write(go, "00/0a-d", "output 1".repeat(1000));
    write(go, "README", "Go's own");
    DirectoryShare.Directory d = new DirectoryShare.Directory("Go build cache", "gobuild-abc", go, n -> n.matches("[0-9a-f]{2}/.*"));
    CacheRegistry a = cache(registry, repo, CacheSpec.Mode.READ_WRITE, 1L << 30, dir.resolve("a"));
    DirectoryShare share = new DirectoryShare(a);
    share.changed(d);
    share.export();
    write(go, "ff/fb-d", "output 2");
    share.changed(d);
    share.export();
    Manifest.Image manifest = (Manifest.Image) repository(repo).manifest("gobuild-abc", Optional.empty());
    assertEquals(2, manifest.layers().size(), "one chunk per export with new files");
    assertTrue(infos.stream().anyMatch(m -> m.contains("1 new files in one chunk")), String.join("\n", infos));
    share.changed(d);
    share.export();
    assertTrue(infos.stream().anyMatch(m -> m.contains("has all 3 files; nothing to export")), String.join("\n", infos));

    Path empty = dir.resolve("runner-b/gocache");
    CacheRegistry b = cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("b"));
    new DirectoryShare(b).importIfEmpty(new DirectoryShare.Directory("Go build cache", "gobuild-abc", empty, d.keep()));
    assertEquals(List.of("00/0a-a", "00/0a-d", "ff/fb-d"), CacheArchive.files(empty, n -> true));
    assertEquals("output 1".repeat(1000), Files.readString(empty.resolve("00/0a-d")));
    // Imported files are as new as the import, or Go's trim would remove them at once.
    assertTrue(Files.getLastModifiedTime(empty.resolve("00/0a-a")).toInstant().isAfter(Instant.now().minusSeconds(3600)));
    // Not empty any more: never imported over.
    Files.writeString(empty.resolve("00/0a-a"), "local");
    new DirectoryShare(b).importIfEmpty(new DirectoryShare.Directory("Go build cache", "gobuild-abc", empty, d.keep()));
    assertEquals("local", Files.readString(empty.resolve("00/0a-a")));
    assertEquals(List.of(), warnings);
  }

  @Test
  void pastTheBoundAnExportKeepsTheMostRecentlyUsedFiles() throws IOException {
    String repo = unique();
    Path go = dir.resolve("gocache");
    for (int i = 0; i < 10; i++) {
      write(go, String.format("%02x/%02x-d", i, i), "x".repeat(1000));
      Files.setLastModifiedTime(go.resolve(String.format("%02x/%02x-d", i, i)), FileTime.from(Instant.now().minusSeconds(1000 - i)));
    }
    CacheRegistry a = cache(registry, repo, CacheSpec.Mode.READ_WRITE, 4500, dir.resolve("a"));
    DirectoryShare share = new DirectoryShare(a);
    share.changed(new DirectoryShare.Directory("Go build cache", "gobuild-bound", go, n -> true));
    share.export();
    Path b = dir.resolve("b/gocache");
    new DirectoryShare(cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("b")))
        .importIfEmpty(new DirectoryShare.Directory("Go build cache", "gobuild-bound", b, n -> true));
    assertEquals(List.of("06/06-d", "07/07-d", "08/08-d", "09/09-d"), CacheArchive.files(b, n -> true));
  }

  @Test
  void twoRunnersExportingAtOnceLeaveAValidCache() throws Exception {
    String repo = unique();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CyclicBarrier together = new CyclicBarrier(2);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (String runner : List.of("a", "b")) {
        runs.add(pool.submit(() -> {
          Path go = dir.resolve(runner + "/gocache");
          write(go, "00/same-d", "both have this");
          write(go, "11/" + runner + "-d", "only " + runner);
          RegistryStageCache stages = stageCache(cache(registry, repo, CacheSpec.Mode.READ_WRITE, 1L << 30, dir.resolve(runner)),
              runner + "-stages");
          stages.put("build-1111", e -> Files.writeString(e.resolve("artifact"), "same result"));
          DirectoryShare share = new DirectoryShare(cache(registry, repo, CacheSpec.Mode.READ_WRITE, 1L << 30, dir.resolve(runner)));
          share.changed(new DirectoryShare.Directory("Go build cache", "gobuild-race", go, n -> true));
          together.await();
          stages.export();
          share.export();
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), warnings);
    Path c = dir.resolve("c/gocache");
    CacheRegistry third = cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("c"));
    new DirectoryShare(third).importIfEmpty(new DirectoryShare.Directory("Go build cache", "gobuild-race", c, n -> true));
    List<String> files = CacheArchive.files(c, n -> true);
    assertTrue(files.contains("00/same-d") && (files.contains("11/a-d") || files.contains("11/b-d")), files.toString());
    assertEquals("same result", Files.readString(stageCache(third, "c-stages").find("build-1111").orElseThrow().file("artifact")));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aRegistryThatIsDownCostsOneWarningAndNothingElse() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CacheRegistry down = cache("127.0.0.1:" + port, "cache/app", CacheSpec.Mode.READ_WRITE, 1L << 30, dir.resolve("a"));
    RegistryStageCache stages = stageCache(down, "a");
    long start = System.nanoTime();
    assertTrue(stages.find("build-aaaa").isEmpty());
    assertTrue(stages.find("build-bbbb").isEmpty());
    stages.put("build-cccc", d -> Files.writeString(d.resolve("x"), "x"));
    stages.export();
    new DirectoryShare(down).importIfEmpty(new DirectoryShare.Directory("Go build cache", "gobuild-x", dir.resolve("go"), n -> true));
    assertTrue((System.nanoTime() - start) / 1e9 < 20, "gave up quickly");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("the build goes on without the registry cache"), warnings.get(0));
    assertTrue(down.summary().orElseThrow().endsWith("not used after a failure"), down.summary().orElseThrow());
    // The local cache still works.
    assertTrue(new LocalStageCache(dir.resolve("a"), 1L << 30).find("build-cccc").isPresent());
  }

  @Test
  void aDamagedEntryIsAWarningAndAMiss() throws IOException {
    String repo = unique();
    Repository target = repository(repo);
    // A blob that is what its digest says, but not a tar: what a broken exporter or a bad disk leaves.
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write("this is not a tar ".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    byte[] junk = gz.toByteArray();
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, junk);
    target.pushBlob(layer, null, junk, Optional.empty());
    Descriptor config = Descriptor.of(MediaTypes.OCI_EMPTY, MediaTypes.OCI_EMPTY_CONTENT);
    target.pushBlob(config, null, MediaTypes.OCI_EMPTY_CONTENT, Optional.empty());
    target.putManifest("build-dddd", ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, config, List.of(layer), Optional.empty(),
        Optional.of(CacheRegistry.STAGE_ENTRY), Map.of()));
    // And a tag that is some image, not a cache entry.
    target.putManifest("build-eeee", ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, config, List.of(layer), Optional.empty(),
        Optional.empty(), Map.of()));

    RegistryStageCache stages = stageCache(cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("a")), "a");
    assertTrue(stages.find("build-dddd").isEmpty());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("build-dddd"), warnings.get(0));
    assertTrue(new LocalStageCache(dir.resolve("a"), 1L << 30).find("build-dddd").isEmpty(), "nothing half-made is kept");

    warnings.clear();
    RegistryStageCache other = stageCache(cache(registry, repo, CacheSpec.Mode.READ, 1L << 30, dir.resolve("b")), "b");
    assertTrue(other.find("build-eeee").isEmpty());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("not a cache entry"), warnings.get(0));
    assertTrue(Digest.isDigest(layer.digest().toString()));
  }

  private static void write(Path root, String name, String text) throws IOException {
    Files.createDirectories(root.resolve(name).getParent());
    Files.writeString(root.resolve(name), text);
  }
}
