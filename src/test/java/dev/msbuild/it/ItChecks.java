package dev.msbuild.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Independent checks used by the {@code src/it} verify scripts: skopeo reads what was pushed,
 * {@code testbed/run-image.sh} runs it, {@code gzip -9} gives the size to compare with. Nothing
 * here uses the plugin's own code.
 */
public final class ItChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient PROXY_CONTROL =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ItChecks() {}

  /** Output of a command that must succeed. */
  public static String run(List<String> command, String stdin) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream stream = process.getInputStream()) {
      stream.transferTo(out);
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError("exit " + process.exitValue() + " from " + command + ":\n" + text);
    }
    return text;
  }

  /** {@code skopeo inspect} of an image in the test registry (or an archive), as JSON. */
  /** Standard output of a command that must succeed, with more environment; its standard error goes to the log. */
  public static String runWithEnv(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream stream = process.getInputStream()) {
      stream.transferTo(out);
    }
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("exit " + process.exitValue() + " from " + command);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The document an OCI artifact attached to {@code subject} holds, fetched with oras as any
   * client would: the referrers listing, the artifact's manifest, its one layer. Fails unless the
   * manifest names {@code subject}.
   */
  public static File referrerDocument(String oras, String repository, String subject, String artifactType, File out)
      throws IOException, InterruptedException {
    JsonNode listed = readJsonText(run(List.of(oras, "discover", "--plain-http", "--format", "json", repository + "@" + subject), null));
    JsonNode entry = null;
    for (JsonNode r : listed.path("referrers")) {
      if (r.path("artifactType").asText().equals(artifactType)) {
        entry = r;
      }
    }
    if (entry == null) {
      throw new AssertionError("no " + artifactType + " referrer of " + repository + "@" + subject + ": " + listed);
    }
    JsonNode manifest = readJsonText(run(List.of(oras, "manifest", "fetch", "--plain-http",
        repository + "@" + entry.path("digest").asText()), null));
    if (!manifest.path("subject").path("digest").asText().equals(subject)) {
      throw new AssertionError("the " + artifactType + " manifest's subject is not " + subject + ": " + manifest);
    }
    run(List.of(oras, "blob", "fetch", "--plain-http", "--output", out.getPath(),
        repository + "@" + manifest.path("layers").get(0).path("digest").asText()), null);
    return out;
  }

  public static JsonNode readJsonText(String text) throws IOException {
    return JSON.readTree(text);
  }

  public static JsonNode inspect(String reference, boolean raw) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect"));
    if (reference.startsWith("docker://")) {
      command.add("--tls-verify=false");
    }
    if (raw) {
      command.add("--raw");
    }
    command.add(reference);
    return JSON.readTree(run(command, null));
  }

  /** Same, asking for the image's config. */
  public static JsonNode inspectConfig(String reference) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--config"));
    if (reference.startsWith("docker://")) {
      command.add("--tls-verify=false");
    }
    command.add(reference);
    return JSON.readTree(run(command, null));
  }

  /** {@code skopeo inspect} with a login ({@code user:password}); {@code config} asks for the image config. */
  public static JsonNode inspectWithCreds(String reference, String creds, boolean config)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false", "--creds", creds));
    if (config) {
      command.add("--config");
    }
    command.add(reference);
    return JSON.readTree(run(command, null));
  }

  /** Exit code and output of a command that may fail. */
  public static Map.Entry<Integer, String> attempt(List<String> command) throws IOException, InterruptedException {
    return attemptWithEnv(command, Map.of());
  }

  /** Exit code and output (both streams) of a command, run with more environment. */
  public static Map.Entry<Integer, String> attemptWithEnv(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return Map.entry(process.exitValue(), text);
  }

  /**
   * A value from the test bed's {@code testbed.properties}, written by {@code testbed/registry-up.sh}
   * once it seeded the registry (e.g. {@code testbed.alpineAmd64Digest}, {@code testbed.faultyRegistry}).
   * The file is the system property {@code testbed.propertiesFile} (failsafe sets it) or else
   * {@code target/testbed/testbed.properties} beside the test classes (verify scripts). Fails
   * when the file or the name is missing.
   */
  public static String testbedProperty(String name) throws IOException {
    Path file = testbedPropertiesFile();
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new AssertionError(file + " has no " + name + " (written by testbed/registry-up.sh)");
    }
    return value.trim();
  }

  private static Path testbedPropertiesFile() {
    String configured = System.getProperty("testbed.propertiesFile");
    Path file;
    if (configured != null && !configured.isBlank()) {
      file = Path.of(configured);
    } else {
      try {
        // target/test-classes -> target/testbed/testbed.properties
        Path classes = Path.of(ItChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        file = classes.resolveSibling("testbed").resolve("testbed.properties");
      } catch (URISyntaxException | RuntimeException e) {
        throw new AssertionError("cannot locate testbed.properties: set -Dtestbed.propertiesFile", e);
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(file + " does not exist: did testbed/registry-up.sh run?");
    }
    return file;
  }

  /**
   * The counters and configuration of a test-bed fault proxy ({@code testbed/faultproxy.py}) at
   * {@code hostPort}: {@code requests}, {@code faulted}, {@code by_fault}, {@code by_method},
   * {@code by_status}, {@code swapped}, {@code config}, ...
   */
  public static JsonNode proxyStats(String hostPort) throws IOException, InterruptedException {
    return proxyControl(hostPort, "stats", null);
  }

  /**
   * Changes a fault proxy's configuration at run time; {@code json} holds any of
   * {@code fault_rate} (0..1), {@code seed}, {@code faults} (a list of names) and
   * {@code fail_after_manifest_put}, e.g. {@code {"fault_rate": 0.3, "seed": 7}}. Returns the
   * configuration now in force.
   */
  public static JsonNode proxyConfigure(String hostPort, String json) throws IOException, InterruptedException {
    return proxyControl(hostPort, "config", json);
  }

  /**
   * Zeroes a fault proxy's counters, re-seeds its random faults and re-arms
   * {@code fail_after_manifest_put}; its configuration stays. Returns the (zeroed) stats.
   */
  public static JsonNode proxyReset(String hostPort) throws IOException, InterruptedException {
    return proxyControl(hostPort, "reset", "");
  }

  /**
   * Starts a proxy of a scenario's own ({@code testbed/faultproxy.py}, no faults) on a free
   * loopback port in front of {@code upstream}, so that what a build sends can be counted
   * ({@code bytes_up} in {@link #proxyStats}) without sharing the test bed's proxies. Returns the
   * proxy's process and its {@code 127.0.0.1:port}; stop it with {@code destroy()}.
   */
  public static Map.Entry<Process, String> startCountingProxy(File testbed, String upstream, File log)
      throws IOException, InterruptedException {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String address = "127.0.0.1:" + port;
    Process process = new ProcessBuilder("python3", new File(testbed, "faultproxy.py").getPath(), "--listen", address,
        "--upstream", upstream, "--log", log.getPath()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        proxyStats(address);
        return Map.entry(process, address);
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroy();
          throw new IOException("the counting proxy on " + address + " did not start: " + Files.readString(log.toPath()), e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static JsonNode proxyControl(String hostPort, String action, String body)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://" + hostPort + "/__proxy/" + action);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response =
        PROXY_CONTROL.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new AssertionError(uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** The sha256 digest of a manifest or index as the registry serves it: the digest a tag resolves to. */
  public static String rawDigest(String reference) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false", reference).start();
    process.getOutputStream().close();
    byte[] raw = process.getInputStream().readAllBytes();
    if (process.waitFor() != 0) {
      throw new AssertionError("skopeo inspect --raw " + reference + " failed");
    }
    try {
      return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code tar -tv} of each layer of an image (base first), as skopeo copies it; {@code creds}
   * may be null. Symlinks show as {@code name -> target}, owners as numbers.
   */
  public static List<String> layerListings(String reference, String creds) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("msbuild-it-layers");
    try {
      List<String> command = new ArrayList<>(List.of("skopeo", "copy"));
      if (reference.startsWith("docker://")) {
        command.add("--src-tls-verify=false");
      }
      if (creds != null) {
        command.addAll(List.of("--src-creds", creds));
      }
      command.addAll(List.of(reference, "dir:" + dir));
      run(command, null);
      JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
      List<String> listings = new ArrayList<>();
      for (JsonNode layer : manifest.path("layers")) {
        String digest = layer.path("digest").asText();
        Path blob = dir.resolve(digest.substring(digest.indexOf(':') + 1));
        listings.add(run(List.of("tar", "--numeric-owner", "-tvzf", blob.toString()), null));
      }
      return listings;
    } finally {
      run(List.of("rm", "-rf", dir.toString()), null);
    }
  }

  /** A file of an image's last layer (the artifact layer), extracted to a temp file. */
  public static Path extractFromLastLayer(String reference, String member) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("msbuild-it-extract");
    try {
      run(List.of("skopeo", "copy", "--src-tls-verify=false", reference, "dir:" + dir), null);
      JsonNode layers = JSON.readTree(dir.resolve("manifest.json").toFile()).path("layers");
      String digest = layers.get(layers.size() - 1).path("digest").asText();
      Path blob = dir.resolve(digest.substring(digest.indexOf(':') + 1));
      run(List.of("tar", "-xzf", blob.toString(), "-C", dir.toString(), member), null);
      Path out = Files.createTempFile("msbuild-it-", ".bin");
      Files.copy(dir.resolve(member), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return out;
    } finally {
      run(List.of("rm", "-rf", dir.toString()), null);
    }
  }

  /** Runs the image as {@link #runImage} does, logging in with {@code creds} ({@code user:password}). */
  public static String runImageWithCreds(File testbed, String reference, String creds) throws IOException, InterruptedException {
    return run(List.of("bash", new File(testbed, "run-image.sh").getPath(), "--creds", creds, reference), null);
  }

  /** Sum of the layer sizes in an image manifest. */
  public static long layersSize(JsonNode manifest) {
    long sum = 0;
    for (JsonNode layer : manifest.path("layers")) {
      sum += layer.path("size").asLong();
    }
    return sum;
  }

  /** Runs the image's entrypoint (chroot in a fresh network namespace) and returns its output. */
  public static String runImage(File testbed, String reference, String stdin) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", new File(testbed, "run-image.sh").getPath()));
    if (stdin != null) {
      command.addAll(List.of("--stdin", stdin));
    }
    command.add(reference);
    return run(command, null);
  }

  /** {@link #serveImage(File, String, int, String)}, waiting up to {@code waitSeconds} for the answer. */
  public static String serveImage(File testbed, String reference, int port, String path, int waitSeconds)
      throws IOException, InterruptedException {
    return run(List.of("bash", new File(testbed, "run-image.sh").getPath(), "--http-wait", String.valueOf(waitSeconds),
        "--http", String.valueOf(port), path, reference), null);
  }

  /** Starts the image as a server and returns what {@code GET path} on {@code port} answers. */
  public static String serveImage(File testbed, String reference, int port, String path)
      throws IOException, InterruptedException {
    return run(
        List.of("bash", new File(testbed, "run-image.sh").getPath(), "--http", String.valueOf(port), path, reference),
        null);
  }

  /** {@code tar -tv} of the image's last layer, as pulled from the registry by skopeo. */
  public static String lastLayerListing(String reference) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("msbuild-it-layer");
    try {
      run(List.of("skopeo", "copy", "--src-tls-verify=false", reference, "dir:" + dir), null);
      JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
      JsonNode layers = manifest.path("layers");
      String digest = layers.get(layers.size() - 1).path("digest").asText();
      Path blob = dir.resolve(digest.substring(digest.indexOf(':') + 1));
      return run(List.of("tar", "--numeric-owner", "-tvzf", blob.toString()), null);
    } finally {
      run(List.of("rm", "-rf", dir.toString()), null);
    }
  }

  /** The size of {@code gzip -9} of a file, by the real gzip. */
  public static long gzip9Size(File file) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("gzip", "-9", "-c", file.getPath()).start();
    long size = 0;
    byte[] buffer = new byte[65536];
    try (InputStream in = process.getInputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
      }
    }
    if (process.waitFor() != 0) {
      throw new AssertionError("gzip failed on " + file);
    }
    return size;
  }

  public static String read(File file) throws IOException {
    return Files.readString(file.toPath(), StandardCharsets.UTF_8);
  }

  public static JsonNode readJson(File file) throws IOException {
    return JSON.readTree(file);
  }

  /** The ELF machine field of a binary (62 = x86-64, 183 = AArch64). */
  public static int elfMachine(Path binary) throws IOException {
    byte[] header = new byte[20];
    try (InputStream in = Files.newInputStream(binary)) {
      if (in.readNBytes(header, 0, 20) < 20) {
        throw new AssertionError(binary + " is too short for an ELF header");
      }
    }
    return (header[18] & 0xff) | (header[19] & 0xff) << 8;
  }

  /**
   * A nested Maven build's command line: the Maven running this scenario ({@code maven.home}),
   * batch mode, the invoker's local repository, then {@code args}.
   */
  public static List<String> mavenCommand(Object localRepository, List<?> args) {
    String home = System.getProperty("maven.home");
    File mvn = home == null ? null : new File(home, "bin/mvn");
    List<String> command = new ArrayList<>(List.of(mvn != null && mvn.canExecute() ? mvn.getPath() : "mvn", "-B",
        "-Dmaven.repo.local=" + localRepository));
    args.forEach(a -> command.add(a.toString()));
    return command;
  }

  /** Runs a nested Maven build in {@code basedir}, its output in {@code log}; fails with that output unless it succeeds. */
  public static String runMaven(File basedir, List<String> command, File log) throws IOException, InterruptedException {
    return runMaven(basedir, command, log, Map.of());
  }

  /** {@link #runMaven(File, List, File, Map)}, the environment before the log. */
  public static String runMaven(File basedir, List<String> command, Map<String, String> env, File log)
      throws IOException, InterruptedException {
    return runMaven(basedir, command, log, env);
  }

  /** {@link #runMaven(File, List, File)} with these environment variables set (JAVA_HOME, say). */
  public static String runMaven(File basedir, List<String> command, File log, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(log)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(environment);
    Process process = builder.start();
    int exit = process.waitFor();
    String output = Files.readString(log.toPath());
    if (exit != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + exit + ":\n" + output);
    }
    return output;
  }

  /**
   * Runs nested Maven builds in {@code basedir} at the same time, all started before any is waited
   * for, each with its output in its own log; returns each one's exit code and output, in order.
   * Nothing is asserted here: the caller tallies.
   */
  public static List<Map.Entry<Integer, String>> runMavenTogether(File basedir, List<List<String>> commands, List<File> logs)
      throws IOException, InterruptedException {
    List<Process> processes = new ArrayList<>();
    try {
      for (int i = 0; i < commands.size(); i++) {
        processes.add(new ProcessBuilder(commands.get(i)).directory(basedir).redirectErrorStream(true)
            .redirectOutput(logs.get(i)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
      }
      List<Map.Entry<Integer, String>> results = new ArrayList<>();
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).waitFor(600, TimeUnit.SECONDS)) {
          throw new AssertionError("timed out after 600 s: " + String.join(" ", commands.get(i)));
        }
        results.add(Map.entry(processes.get(i).exitValue(), Files.readString(logs.get(i).toPath())));
      }
      return results;
    } finally {
      processes.forEach(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
    }
  }

  /**
   * Starts {@code command} (a Maven build) in {@code basedir}, waits until it is unpacking a
   * builder image into {@code cacheDir/rootfs} (a {@code *.tmp-*} directory holding at least 300
   * files), then kills it and everything it started, as a power cut or {@code kill -9} would. The
   * build's output goes to {@code basedir/killed-build.log}. Asserts that the half-filled
   * directory is left behind and that nothing in the cache looks complete; returns a one-line
   * report.
   */
  public static String killWhenUnpacking(File basedir, List<String> command, File cacheDir)
      throws IOException, InterruptedException {
    Path rootfs = cacheDir.toPath().resolve("rootfs");
    File output = new File(basedir, "killed-build.log");
    Process process =
        new ProcessBuilder(command)
            .directory(basedir)
            .redirectErrorStream(true)
            .redirectOutput(output)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    ProcessHandle root = process.toHandle();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(120);
    Path partial = null;
    long files = 0;
    boolean exitedByItself = false;
    java.util.Set<ProcessHandle> tree = new java.util.LinkedHashSet<>();
    try {
      while (System.nanoTime() < deadline) {
        for (Path tmp : rootfsEntries(rootfs, true)) {
          long n = countFiles(tmp);
          if (n >= 300) {
            partial = tmp;
            files = n;
            break;
          }
        }
        if (partial != null) {
          break;
        }
        if (!process.isAlive()) {
          exitedByItself = true;
          break;
        }
        Thread.sleep(50);
      }
    } finally {
      // Kill the whole tree: its members, found before the root dies (then they would be
      // re-parented and no longer its descendants), and the root itself.
      tree.addAll(root.descendants().toList());
      root.destroyForcibly();
      tree.addAll(root.descendants().toList());
      tree.remove(root);
      tree.forEach(ProcessHandle::destroyForcibly);
      List<ProcessHandle> all = new ArrayList<>(tree);
      all.add(root);
      for (ProcessHandle handle : all) {
        try {
          handle.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          throw new AssertionError("pid " + handle.pid() + " did not die after kill -9", e);
        }
      }
      process.waitFor();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (partial == null) {
      throw new AssertionError(
          String.format(
              "the build never got to unpacking (%s after %.1f s); its output:%n%s",
              exitedByItself ? "it exited with " + process.exitValue() : "killed after 120 s", seconds, tail(output, 60)));
    }
    if (!Files.isDirectory(partial)) {
      throw new AssertionError("the half-filled unpack " + partial + " vanished when its build was killed");
    }
    List<Path> complete = rootfsEntries(rootfs, false);
    if (!complete.isEmpty()) {
      throw new AssertionError("a killed unpack left a copy that looks complete: " + complete);
    }
    return String.format(
        "killed pid %d and %d descendant(s) %.1f s after start; %s held %d files",
        root.pid(), tree.size(), seconds, partial.getFileName(), files);
  }

  /** Directories in {@code rootfs}: the temporary ones ({@code *.tmp-*}) or the complete {@code sha256-*} ones. */
  public static List<Path> rootfsEntries(Path rootfs, boolean temporary) throws IOException {
    if (!Files.isDirectory(rootfs)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(rootfs)) {
      return entries
          .filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .filter(p -> {
            String name = p.getFileName().toString();
            return temporary ? name.contains(".tmp-") : name.startsWith("sha256-") && !name.contains(".tmp-");
          })
          .sorted()
          .toList();
    }
  }

  /** Names in {@code dir} that contain {@code part} (files and directories alike). */
  public static List<String> namesContaining(File dir, String part) {
    String[] names = dir.list();
    List<String> found = new ArrayList<>();
    if (names != null) {
      for (String name : names) {
        if (name.contains(part)) {
          found.add(name);
        }
      }
    }
    return found;
  }

  private static long countFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // still being written or just renamed: look again on the next poll
    }
  }

  private static String tail(File file, int lines) throws IOException {
    if (!file.isFile()) {
      return "(no output)";
    }
    List<String> all = Files.readAllLines(file.toPath(), StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Every regular file under {@code dir} (symbolic links not followed) whose bytes contain one of
   * {@code needles}, as {@code path: needle}. Gzip files are searched decompressed too.
   */
  public static List<String> filesContaining(File dir, List<String> needles) throws IOException {
    List<String> hits = new ArrayList<>();
    if (!dir.exists()) {
      return hits;
    }
    try (Stream<Path> files = Files.walk(dir.toPath())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          for (String needle : bytesContaining(Files.readAllBytes(file), needles)) {
            hits.add(dir.toPath().relativize(file) + ": " + needle);
          }
        }
      }
    }
    return hits;
  }

  /**
   * Copies an image with skopeo ({@code docker://} references from the test registry, or any
   * skopeo source) into a temporary {@code dir:} and searches every blob (the manifest, the
   * config and each layer, gunzipped) for each of {@code needles}; returns the hits as
   * {@code blob: needle}, empty when none holds any.
   */
  public static List<String> imageBlobsContaining(String reference, List<String> needles)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("msbuild-it-blobs");
    try {
      List<String> copy = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
      if (reference.startsWith("docker://")) {
        copy.add("--src-tls-verify=false");
      }
      copy.addAll(List.of(reference, "dir:" + dir));
      run(copy, null);
      List<String> hits = new ArrayList<>();
      int blobs = 0;
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          blobs++;
          for (String needle : bytesContaining(Files.readAllBytes(file), needles)) {
            hits.add(file.getFileName() + ": " + needle);
          }
        }
      }
      if (blobs < 3) {
        throw new AssertionError("skopeo copied only " + blobs + " files of " + reference + " to " + dir);
      }
      return hits;
    } finally {
      run(List.of("rm", "-rf", dir.toString()), null);
    }
  }

  /**
   * The needles found in {@code data}, searched as it is and, recursively, inside it: gunzipped
   * when it is gzip, entry by entry when it is a tar archive (as image layers and staged image
   * archives are).
   */
  private static List<String> bytesContaining(byte[] data, List<String> needles) throws IOException {
    List<String> found = new ArrayList<>();
    for (String needle : needles) {
      if (containsAnywhere(data, needle.getBytes(StandardCharsets.UTF_8), 0)) {
        found.add(needle);
      }
    }
    return found;
  }

  private static boolean containsAnywhere(byte[] data, byte[] needle, int depth) throws IOException {
    if (indexOf(data, needle) >= 0) {
      return true;
    }
    if (depth >= 4) {
      return false;
    }
    if (data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
        return containsAnywhere(in.readAllBytes(), needle, depth + 1);
      } catch (java.util.zip.ZipException e) {
        return false; // not gzip after all
      }
    }
    for (byte[] entry : tarEntries(data)) {
      if (containsAnywhere(entry, needle, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  /** The contents of the entries of a ustar/GNU tar archive; empty when {@code data} is not one. */
  private static List<byte[]> tarEntries(byte[] data) {
    List<byte[]> entries = new ArrayList<>();
    int offset = 0;
    while (offset + 512 <= data.length && isTarHeader(data, offset)) {
      String sizeField = new String(data, offset + 124, 12, StandardCharsets.US_ASCII).replace("\0", " ").trim();
      long size;
      try {
        size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
      } catch (NumberFormatException e) {
        break;
      }
      int body = offset + 512;
      if (size < 0 || body + size > data.length) {
        break;
      }
      entries.add(java.util.Arrays.copyOfRange(data, body, (int) (body + size)));
      offset = body + (int) ((size + 511) / 512 * 512);
    }
    return entries;
  }

  private static boolean isTarHeader(byte[] data, int offset) {
    return data[offset + 257] == 'u' && data[offset + 258] == 's' && data[offset + 259] == 't'
        && data[offset + 260] == 'a' && data[offset + 261] == 'r';
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
