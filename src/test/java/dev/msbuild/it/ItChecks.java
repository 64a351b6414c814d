package dev.msbuild.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Independent checks used by the {@code src/it} verify scripts: skopeo reads what was pushed,
 * {@code testbed/run-image.sh} runs it, {@code gzip -9} gives the size to compare with. Nothing
 * here uses the plugin's own code.
 */
public final class ItChecks {
  private static final ObjectMapper JSON = new ObjectMapper();

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
}
