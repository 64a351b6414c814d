package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StagedImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE_DIFF_ID = "sha256:" + "b".repeat(64);
  private static final String BASE_MANIFEST = "sha256:" + "d".repeat(64);
  private static final String BASE_RESOLVED = "sha256:" + "c".repeat(64);

  @TempDir Path dir;

  @Test
  void onScratchTheImageIsOurLayerAlone() throws Exception {
    AppLayer layer = appLayer();
    StagedImage staged =
        staged(Optional.empty(), layer, new Platform("linux", "arm64", null), dir.resolve("staged.tar"));
    Map<String, byte[]> tar = read(staged.tar());
    JsonNode manifests = JSON.readTree(tar.get("manifest.json"));
    assertEquals(1, manifests.size());
    JsonNode manifest = manifests.get(0);
    String configName = manifest.get("Config").asText();
    assertEquals(sha256(tar.get(configName)) + ".json", configName);
    List<String> layers = texts(manifest.get("Layers"));
    assertEquals(1, layers.size());
    assertArrayEquals(Files.readAllBytes(layer.file()), tar.get(layers.get(0)));
    assertEquals(List.of("manifest.json", configName, layers.get(0)), List.copyOf(tar.keySet()));

    JsonNode config = JSON.readTree(tar.get(configName));
    assertEquals("arm64", config.get("architecture").asText());
    assertEquals("linux", config.get("os").asText());
    assertFalse(config.has("variant"));
    assertEquals("layers", config.at("/rootfs/type").asText());
    assertEquals(List.of(layer.diffId()), texts(config.at("/rootfs/diff_ids")));
    assertEquals(1, config.get("history").size());
    assertEquals("COPY x", config.at("/history/0/created_by").asText());
    assertEquals(layer.size(), staged.compressedSize());
    assertEquals(Optional.empty(), staged.baseDigest());
    assertEquals(dir.resolve("staged.tar"), staged.tar());
  }

  @Test
  void theVariantIsRecorded() throws Exception {
    StagedImage staged =
        staged(Optional.empty(), appLayer(), new Platform("linux", "arm", "v7"), dir.resolve("staged.tar"));
    JsonNode config = config(read(staged.tar()));
    assertEquals("arm", config.get("architecture").asText());
    assertEquals("v7", config.get("variant").asText());
  }

  @Test
  void baseLayersComeFirstAndPassThrough() throws Exception {
    Path baseLayer = Files.write(dir.resolve("base.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    PulledImage base =
        base(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]},"
                + "\"history\":[{\"created_by\":\"ADD rootfs\"}]}",
            baseLayer);
    AppLayer layer = appLayer();
    StagedImage staged = staged(Optional.of(base), layer, Platform.LINUX_AMD64, dir.resolve("staged.tar"));
    Map<String, byte[]> tar = read(staged.tar());
    List<String> layers = texts(JSON.readTree(tar.get("manifest.json")).get(0).get("Layers"));
    assertEquals(2, layers.size());
    assertArrayEquals(Files.readAllBytes(baseLayer), tar.get(layers.get(0)));
    assertArrayEquals(Files.readAllBytes(layer.file()), tar.get(layers.get(1)));

    JsonNode config = config(tar);
    assertEquals(List.of(BASE_DIFF_ID, layer.diffId()), texts(config.at("/rootfs/diff_ids")));
    assertEquals("PATH=/bin", config.at("/config/Env/0").asText());
    assertEquals(List.of("ADD rootfs", "COPY x"), historyCreatedBy(config));
    assertEquals(7 + layer.size(), staged.compressedSize());
    // The digest the base reference resolved to (an index for a multi-platform base), as pinned by users.
    assertEquals(Optional.of(BASE_RESOLVED), staged.baseDigest());
    assertEquals(Optional.of("docker.io/library/alpine:3.20"), staged.baseName());
    assertEquals(2, staged.layers().size());
  }

  @Test
  void emptyLayerHistoryEntriesOfTheBaseAreKept() throws Exception {
    PulledImage base =
        base(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]},"
                + "\"history\":[{\"created_by\":\"ADD rootfs\"},{\"created_by\":\"CMD sh\",\"empty_layer\":true}]}",
            Files.write(dir.resolve("base.tar.gz"), new byte[] {1}));
    JsonNode config =
        config(read(staged(Optional.of(base), appLayer(), Platform.LINUX_AMD64, dir.resolve("s.tar")).tar()));
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
    PulledImage base =
        base(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + BASE_DIFF_ID + "\"]}" + history + "}",
            Files.write(dir.resolve("base.tar.gz"), new byte[] {1}));
    JsonNode config =
        config(read(staged(Optional.of(base), appLayer(), Platform.LINUX_AMD64, dir.resolve("s.tar")).tar()));
    assertEquals(2, config.at("/rootfs/diff_ids").size());
    if (config.has("history")) {
      int withLayer = 0;
      for (JsonNode item : config.get("history")) {
        withLayer += item.path("empty_layer").asBoolean(false) ? 0 : 1;
      }
      assertEquals(2, withLayer, "non-empty history entries in " + config.get("history"));
    }
  }

  private AppLayer appLayer() throws IOException {
    Path binary = Files.writeString(dir.resolve("app"), "bin");
    return AppLayer.writeEntries(List.of(new LayerEntry.FileEntry("/app/app", binary, 0755, FinalStageSpec.Owner.ROOT)), dir.resolve("app.tar.gz"));
  }

  private static PulledImage base(String configJson, Path layerFile) throws IOException {
    return new PulledImage(
        ImageName.parse("alpine:3.20", Setting.FROM_IMAGE),
        ImageName.parse("127.0.0.1:5000/library/alpine:3.20", Setting.FROM_IMAGE),
        BASE_RESOLVED,
        BASE_MANIFEST,
        Platform.LINUX_AMD64,
        configJson.getBytes(StandardCharsets.UTF_8),
        List.of(
            new PulledImage.Layer(
                "sha256:" + "e".repeat(64), Files.size(layerFile), "application/vnd.oci.image.layer.v1.tar+gzip", layerFile)));
  }

  private static Map<String, byte[]> read(Path tar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static JsonNode config(Map<String, byte[]> tar) throws IOException {
    return JSON.readTree(tar.get(JSON.readTree(tar.get("manifest.json")).get(0).get("Config").asText()));
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

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Our one layer, recorded as {@code COPY x}, on {@code base}. */
  private static StagedImage staged(Optional<PulledImage> base, AppLayer layer, Platform platform, Path target)
      throws IOException {
    return StagedImage.write(base, List.of(new StagedImage.OwnLayer(layer, "COPY x")), platform, target);
  }
}
