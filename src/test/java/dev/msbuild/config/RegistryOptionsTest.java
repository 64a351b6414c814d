package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryOptionsTest {
  @Test
  void parsesMirrorsInOrder() {
    Map<String, List<String>> mirrors =
        RegistryOptions.parseMirrors(List.of("docker.io=127.0.0.1:5000", "docker.io=mirror.example.com", "ghcr.io=m2;m3"));
    assertEquals(List.of("127.0.0.1:5000", "mirror.example.com"), mirrors.get("docker.io"));
    assertEquals(List.of("m2", "m3"), mirrors.get("ghcr.io"));
  }

  @Test
  void dockerHubIsKnownByAllItsNames() {
    RegistryOptions options = new RegistryOptions(false, RegistryOptions.parseMirrors(List.of("docker.io=m")));
    assertEquals(List.of("m"), options.mirrorsOf("docker.io"));
    assertEquals(List.of("m"), options.mirrorsOf("registry-1.docker.io"));
    assertEquals(List.of("m"), options.mirrorsOf("index.docker.io"));
    assertEquals(List.of(), options.mirrorsOf("ghcr.io"));
  }

  @Test
  void malformedMirrorNamesTheSetting() {
    MsbuildException e =
        assertThrows(MsbuildException.class, () -> RegistryOptions.parseMirrors(List.of("docker.io")));
    assertEquals(Setting.REGISTRY_MIRRORS, e.setting().orElseThrow());
    assertTrue(e.getMessage().contains("-Dmsbuild.registryMirrors"), e.getMessage());
  }
}
