package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.msbuild.config.ContainerSpec;
import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.ImageFormat;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageAssemblerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE_DIFF_ID = "sha256:" + "b".repeat(64);
  private static final String BASE_MANIFEST = "sha256:" + "d".repeat(64);
  private static final String BASE_RESOLVED = "sha256:" + "c".repeat(64);
  private static final String BASE_LAYER = "sha256:" + "e".repeat(64);

  @TempDir Path dir;

  @Test
  void onScratchTheImageIsOurLayerAlone() throws Exception {
    AppLayer layer = appLayer();
    AssembledImage image = assemble(Optional.empty(), layer, new Platform("linux", "arm64", null), spec(Map.of(), Map.of()));
    JsonNode config = JSON.readTree(image.config());
    assertEquals("arm64", config.get("architecture").asText());
    assertEquals("linux", config.get("os").asText());
    assertFalse(config.has("variant"));
    assertEquals("layers", config.at("/rootfs/type").asText());
    assertEquals(List.of(layer.diffId()), texts(config.at("/rootfs/diff_ids")));
    assertEquals(List.of("COPY x"), historyCreatedBy(config));
    assertEquals(layer.size(), image.compressedSize());
    assertEquals(Optional.empty(), image.baseDigest());
    assertEquals(1, image.layers().size());
    assertEquals(Optional.empty(), image.layers().get(0).mountFrom());
    assertEquals("[\"/app/app\"]", config.at("/config/Entrypoint").toString());
  }

  @Test
  void theVariantIsRecorded() throws Exception {
    JsonNode config = JSON.readTree(assemble(Optional.empty(), appLayer(), new Platform("linux", "arm", "v7"),
        spec(Map.of(), Map.of())).config());
    assertEquals("arm", config.get("architecture").asText());
    assertEquals("v7", config.get("variant").asText());
  }

  @Test
  void baseLayersComeFirstAndPassThrough() throws Exception {
    Path baseLayer = Files.write(dir.resolve("base.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    PulledImage base = base(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]},"
            + "\"history\":[{\"created_by\":\"ADD rootfs\"}]}",
        baseLayer);
    AppLayer layer = appLayer();
    AssembledImage image = assemble(Optional.of(base), layer, Platform.LINUX_AMD64, spec(Map.of(), Map.of()));
    assertEquals(2, image.layers().size());
    ImageLayer first = image.layers().get(0);
    assertEquals(Digest.parse(BASE_LAYER), first.digest());
    assertEquals(baseLayer, first.file());
    // A base layer can be mounted from where it was pulled, in the same registry.
    assertEquals(Optional.of(new ImageLayer.Source("127.0.0.1:5000", "library/alpine")), first.mountFrom());
    assertEquals(layer.file(), image.layers().get(1).file());

    JsonNode config = JSON.readTree(image.config());
    assertEquals(List.of(BASE_DIFF_ID, layer.diffId()), texts(config.at("/rootfs/diff_ids")));
    assertEquals("PATH=/bin", config.at("/config/Env/0").asText());
    // A new entrypoint drops the base's CMD, as in a Dockerfile.
    assertFalse(config.path("config").has("Cmd"));
    assertEquals(List.of("ADD rootfs", "COPY x"), historyCreatedBy(config));
    assertEquals(7 + layer.size(), image.compressedSize());
    // The digest the base reference resolved to (an index for a multi-platform base), as pinned by users.
    assertEquals(Optional.of(BASE_RESOLVED), image.baseDigest());
    assertEquals(Optional.of("docker.io/library/alpine:3.20"), image.baseName());
    assertEquals(BASE_RESOLVED, config.at("/config/Labels/org.opencontainers.image.base.digest").asText());
  }

  @Test
  void theFormatDecidesEveryMediaType() throws Exception {
    AssembledImage docker = assemble(Optional.empty(), appLayer(), Platform.LINUX_AMD64, spec(Map.of(), Map.of()));
    assertEquals(MediaTypes.DOCKER_MANIFEST, docker.manifest().mediaType());
    assertEquals(MediaTypes.DOCKER_CONFIG, docker.manifest().config().mediaType());
    assertEquals(MediaTypes.DOCKER_LAYER_GZIP, docker.manifest().layers().get(0).mediaType());
    AssembledImage oci = docker.withFormat(ImageFormat.OCI);
    assertEquals(MediaTypes.OCI_MANIFEST, oci.manifest().mediaType());
    assertEquals(MediaTypes.OCI_CONFIG, oci.manifest().config().mediaType());
    assertEquals(MediaTypes.OCI_LAYER_GZIP, oci.manifest().layers().get(0).mediaType());
    // Same config either way, so the same image id.
    assertEquals(docker.imageId(), oci.imageId());
  }

  @Test
  void labelsAndEnvironmentAreWrittenInSortedOrderWhateverTheMapOrder() throws Exception {
    Map<String, String> labelsOne = new LinkedHashMap<>();
    labelsOne.put("zeta", "1");
    labelsOne.put("alpha", "2");
    labelsOne.put("mid", "3");
    Map<String, String> labelsTwo = new LinkedHashMap<>();
    labelsTwo.put("mid", "3");
    labelsTwo.put("alpha", "2");
    labelsTwo.put("zeta", "1");
    AppLayer layer = appLayer();
    AssembledImage one = assemble(Optional.empty(), layer, Platform.LINUX_AMD64, spec(labelsOne, Map.of("B", "2", "A", "1")));
    AssembledImage two = assemble(Optional.empty(), layer, Platform.LINUX_AMD64, spec(labelsTwo, Map.of("A", "1", "B", "2")));
    assertEquals(new String(one.config(), StandardCharsets.UTF_8), new String(two.config(), StandardCharsets.UTF_8));
    assertEquals(one.manifest().digest(), two.manifest().digest());
    JsonNode config = JSON.readTree(one.config());
    List<String> names = new ArrayList<>();
    config.at("/config/Labels").fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("alpha", "mid", "zeta"), names);
    assertEquals(List.of("A=1", "B=2"), texts(config.at("/config/Env")));
  }

  @Test
  void configuredVariablesReplaceTheBasesInPlace() throws Exception {
    PulledImage base = base("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\",\"LANG=C\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]}}", Files.write(dir.resolve("b"), new byte[] {1}));
    JsonNode config = JSON.readTree(assemble(Optional.of(base), appLayer(), Platform.LINUX_AMD64,
        spec(Map.of(), Map.of("PATH", "/app:/bin", "TZ", "UTC"))).config());
    assertEquals(List.of("PATH=/app:/bin", "LANG=C", "TZ=UTC"), texts(config.at("/config/Env")));
  }

  @Test
  void theCreationTimeIsTheBuildsAndEveryHistoryLineOfOursCarriesIt() throws Exception {
    Instant time = Instant.parse("2026-01-01T00:00:00Z");
    ContainerSpec spec = new ContainerSpec(List.of(), List.of("serve"), Map.of(), List.of("8080", "9000-9001/udp"), Map.of(),
        null, null, List.of("/data"), ImageFormat.DOCKER, Optional.of(time));
    JsonNode config = JSON.readTree(assemble(Optional.empty(), appLayer(), Platform.LINUX_AMD64, spec).config());
    assertEquals("2026-01-01T00:00:00Z", config.get("created").asText());
    assertEquals("2026-01-01T00:00:00Z", config.at("/history/0/created").asText());
    assertEquals("[\"serve\"]", config.at("/config/Cmd").toString());
    List<String> ports = new ArrayList<>();
    config.at("/config/ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertEquals(List.of("8080/tcp", "9000/udp", "9001/udp"), ports);
    assertTrue(config.at("/config/Volumes").has("/data"));
  }

  @Test
  void emptyLayerHistoryEntriesOfTheBaseAreKept() throws Exception {
    PulledImage base = base(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]},"
            + "\"history\":[{\"created_by\":\"ADD rootfs\"},{\"created_by\":\"CMD sh\",\"empty_layer\":true}]}",
        Files.write(dir.resolve("base.tar.gz"), new byte[] {1}));
    JsonNode config = JSON.readTree(assemble(Optional.of(base), appLayer(), Platform.LINUX_AMD64, spec(Map.of(), Map.of())).config());
    assertEquals(List.of("ADD rootfs", "CMD sh", "COPY x"), historyCreatedBy(config));
  }

  /**
   * Readers pair the non-empty history entries with the layers, so when the config has a history,
   * it must have exactly one non-empty entry per layer, whatever the base's history looked like.
   */
  @ParameterizedTest(name = "base history: {0}")
  @ValueSource(
      strings = {
        "",
        ",\"history\":[]",
        ",\"history\":[{\"created_by\":\"ADD a\"},{\"created_by\":\"ADD b\"}]",
        ",\"history\":[{\"created_by\":\"ADD rootfs\"}]",
      })
  void theHistoryAccountsForEveryLayer(String history) throws Exception {
    PulledImage base = base(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]}" + history + "}",
        Files.write(dir.resolve("base.tar.gz"), new byte[] {1}));
    JsonNode config = JSON.readTree(assemble(Optional.of(base), appLayer(), Platform.LINUX_AMD64, spec(Map.of(), Map.of())).config());
    assertEquals(2, config.at("/rootfs/diff_ids").size());
    int withLayer = 0;
    for (JsonNode item : config.get("history")) {
      withLayer += item.path("empty_layer").asBoolean(false) ? 0 : 1;
    }
    assertEquals(2, withLayer, "non-empty history entries in " + config.get("history"));
  }

  private AppLayer appLayer() throws IOException {
    Path binary = dir.resolve("app");
    if (!Files.exists(binary)) {
      Files.writeString(binary, "bin");
    }
    return AppLayer.writeEntries(List.of(new LayerEntry.FileEntry("/app/app", binary, 0755, FinalStageSpec.Owner.ROOT)),
        dir.resolve("app.tar.gz"));
  }

  private static ContainerSpec spec(Map<String, String> labels, Map<String, String> env) {
    return new ContainerSpec(List.of(), List.of(), env, List.of(), labels, null, null, List.of(), ImageFormat.DOCKER, Optional.empty());
  }

  private static AssembledImage assemble(Optional<PulledImage> base, AppLayer layer, Platform platform, ContainerSpec spec) {
    return ImageAssembler.assemble(base, List.of(new ImageAssembler.OwnLayer(layer, "COPY x")), platform, spec,
        List.of("/app/app"), Map.of(), Optional.empty());
  }

  private static PulledImage base(String configJson, Path layerFile) throws IOException {
    return new PulledImage(
        ImageName.parse("alpine:3.20", Setting.FROM_IMAGE),
        ImageName.parse("127.0.0.1:5000/library/alpine:3.20", Setting.FROM_IMAGE),
        BASE_RESOLVED,
        BASE_MANIFEST,
        Platform.LINUX_AMD64,
        configJson.getBytes(StandardCharsets.UTF_8),
        List.of(new PulledImage.Layer(BASE_LAYER, Files.size(layerFile), MediaTypes.OCI_LAYER_GZIP, layerFile)),
        MediaTypes.OCI_MANIFEST);
  }

  private static List<String> historyCreatedBy(JsonNode config) {
    List<String> createdBy = new ArrayList<>();
    config.get("history").forEach(h -> createdBy.add(h.path("created_by").asText()));
    return createdBy;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
