package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryOptionsTest {
  @Test
  void parsesOneMirror() {
    assertEquals(
        Map.of("docker.io", List.of("127.0.0.1:5000")),
        RegistryOptions.parseMirrors(List.of("docker.io=127.0.0.1:5000")));
  }

  @Test
  void parsesSeveralMirrorsInOrder() {
    Map<String, List<String>> mirrors =
        RegistryOptions.parseMirrors(
            List.of("docker.io=127.0.0.1:5000", " docker.io = mirror.example.com ", "", "ghcr.io=m2; m3;"));
    assertEquals(List.of("docker.io", "ghcr.io"), List.copyOf(mirrors.keySet()));
    assertEquals(List.of("127.0.0.1:5000", "mirror.example.com"), mirrors.get("docker.io"));
    assertEquals(List.of("m2", "m3"), mirrors.get("ghcr.io"));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"docker.io", "=127.0.0.1:5000", "docker.io=", " = "})
  void malformedEntryNamesTheSetting(String entry) {
    MsbuildException e = assertThrows(MsbuildException.class, () -> RegistryOptions.parseMirrors(List.of(entry)));
    assertEquals(Setting.REGISTRY_MIRRORS, e.setting().orElseThrow());
    assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("Setting: <registryMirrors> (-Dmsbuild.registryMirrors)"), e.getMessage());
  }

  /** Docker Hub has three names; a mirror configured under any of them serves all of them. */
  @ParameterizedTest(name = "configured {0}, asked {1}")
  @CsvSource({
    "docker.io,            docker.io",
    "docker.io,            registry-1.docker.io",
    "docker.io,            index.docker.io",
    "registry-1.docker.io, docker.io",
    "registry-1.docker.io, registry-1.docker.io",
    "registry-1.docker.io, index.docker.io",
    "index.docker.io,      docker.io",
    "index.docker.io,      registry-1.docker.io",
    "index.docker.io,      index.docker.io",
  })
  void dockerHubMirrorsServeEveryHubName(String configured, String asked) {
    RegistryOptions options = new RegistryOptions(false, RegistryOptions.parseMirrors(List.of(configured + "=m1;m2")));
    assertEquals(List.of("m1", "m2"), options.mirrorsOf(asked));
  }

  @Test
  void otherRegistriesOnlyMatchExactly() {
    RegistryOptions options = new RegistryOptions(true, RegistryOptions.parseMirrors(List.of("ghcr.io=m")));
    assertEquals(List.of("m"), options.mirrorsOf("ghcr.io"));
    assertEquals(List.of(), options.mirrorsOf("docker.io"));
    assertEquals(List.of(), options.mirrorsOf("quay.io"));
    assertTrue(options.allowInsecure());
  }

  @Test
  void isDockerHub() {
    assertTrue(RegistryOptions.isDockerHub("docker.io"));
    assertTrue(RegistryOptions.isDockerHub("registry-1.docker.io"));
    assertTrue(RegistryOptions.isDockerHub("index.docker.io"));
    assertEquals(false, RegistryOptions.isDockerHub("ghcr.io"));
  }
}
