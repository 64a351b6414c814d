package dev.msbuild.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an image config the stages read: the runtime environment and working directory. */
public record ImageConfig(List<String> env, String workingDir, String user) {
  static final ObjectMapper JSON = new ObjectMapper();

  public static ImageConfig parse(byte[] json) {
    try {
      JsonNode config = JSON.readTree(json).path("config");
      List<String> env = new ArrayList<>();
      config.path("Env").forEach(e -> env.add(e.asText()));
      return new ImageConfig(
          List.copyOf(env), config.path("WorkingDir").asText(""), config.path("User").asText(""));
    } catch (IOException e) {
      throw new UncheckedIOException("image config is not JSON", e);
    }
  }

  /** The environment as a map; later entries win, as in a container. */
  public Map<String, String> envMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : env) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        map.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return map;
  }
}
