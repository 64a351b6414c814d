package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void scratchGetsOneLayerAndThePlatform() throws IOException {
    AppLayer layer = appLayer();
    StagedImage staged =
        StagedImage.write(Optional.empty(), layer, new Platform("linux", "arm64", null), "COPY x", dir.resolve("staged.tar"));
    Map<String, byte[]> tar = read(staged.tar());
    JsonNode manifest = JSON.readTree(tar.get("manifest.json")).get(0);
    assertEquals(1, manifest.get("Layers").size());
    JsonNode config = JSON.readTree(tar.get(manifest.get("Config").asText()));
    assertEquals("arm64", config.get("architecture").asText());
    assertEquals("linux", config.get("os").asText());
    assertEquals(List.of(layer.diffId()), texts(config.at("/rootfs/diff_ids")));
    assertEquals(1, config.get("history").size());
    assertEquals(layer.size(), staged.compressedSize());
    assertEquals(Optional.empty(), staged.baseDigest());
  }

  @Test
  void baseLayersComeFirstAndPassThrough() throws IOException {
    Path baseLayer = Files.write(dir.resolve("base.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    String baseConfig =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "b".repeat(64) + "\"]},"
            + "\"history\":[{\"created_by\":\"ADD rootfs\"}]}";
    PulledImage base =
        new PulledImage(
            ImageName.parse("alpine:3.20", Setting.FROM_IMAGE),
            ImageName.parse("127.0.0.1:5000/library/alpine:3.20", Setting.FROM_IMAGE),
            "sha256:" + "c".repeat(64),
            "sha256:" + "d".repeat(64),
            Platform.LINUX_AMD64,
            baseConfig.getBytes(StandardCharsets.UTF_8),
            List.of(new PulledImage.Layer("sha256:" + "e".repeat(64), 7, "application/vnd.oci.image.layer.v1.tar+gzip", baseLayer)));
    AppLayer layer = appLayer();
    StagedImage staged = StagedImage.write(Optional.of(base), layer, Platform.LINUX_AMD64, "COPY x", dir.resolve("staged.tar"));
    Map<String, byte[]> tar = read(staged.tar());
    JsonNode manifest = JSON.readTree(tar.get("manifest.json")).get(0);
    List<String> layers = texts(manifest.get("Layers"));
    assertEquals(2, layers.size());
    assertEquals(7, tar.get(layers.get(0)).length);
    assertEquals(layer.size(), tar.get(layers.get(1)).length);
    JsonNode config = JSON.readTree(tar.get(manifest.get("Config").asText()));
    assertEquals(List.of("sha256:" + "b".repeat(64), layer.diffId()), texts(config.at("/rootfs/diff_ids")));
    assertEquals("PATH=/bin", config.at("/config/Env/0").asText());
    assertEquals(2, config.get("history").size());
    assertEquals(7 + layer.size(), staged.compressedSize());
    assertEquals(Optional.of("sha256:" + "d".repeat(64)), staged.baseDigest());
  }

  private AppLayer appLayer() throws IOException {
    Path binary = Files.writeString(dir.resolve("app"), "bin");
    return AppLayer.write(List.of(new AppLayer.Entry(binary, "/app/app", 0755)), dir.resolve("app.tar.gz"));
  }

  private static Map<String, byte[]> read(Path tar) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new java.util.ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
