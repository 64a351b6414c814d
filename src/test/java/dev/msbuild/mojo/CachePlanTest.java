package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.CacheSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachePlanTest {
  private static UserProperties cli(String... keyValues) {
    return PlanFactoryTest.cli(keyValues);
  }

  @Test
  void noRegistryMeansThisMachinesCacheAlone() {
    CacheSpec spec = CachePlan.create(null, cli());
    assertFalse(spec.reads());
    assertFalse(spec.writes());
    assertEquals(Optional.empty(), spec.repository());
  }

  @Test
  void aRepositoryIsReadAndWrittenUnlessToldOtherwise() {
    CacheParameters pom = new CacheParameters();
    pom.registry = "registry.example.com:5000/team/app-cache";
    CacheSpec spec = CachePlan.create(pom, cli());
    assertTrue(spec.reads() && spec.writes());
    assertEquals("registry.example.com:5000/team/app-cache", spec.where());
    assertEquals(CacheSpec.DEFAULT_MAX_BYTES, spec.maxBytes());

    CacheSpec read = CachePlan.create(pom, cli("msbuild.cache.mode", "read", "msbuild.cache.maxBytes", "512m"));
    assertTrue(read.reads());
    assertFalse(read.writes());
    assertEquals(512L << 20, read.maxBytes());
    CacheSpec off = CachePlan.create(pom, cli("msbuild.cache.mode", "OFF"));
    assertFalse(off.reads());
  }

  @Test
  void theLoginIsGivenAsForTo() {
    CacheParameters pom = new CacheParameters();
    pom.registry = "registry.example.com/team/app-cache";
    CacheSpec spec = CachePlan.create(pom, cli("msbuild.cache.auth.username", "ci", "msbuild.cache.auth.password", "pw"));
    assertEquals("ci", spec.auth().explicit().orElseThrow().username());
    MsbuildException half = assertThrows(MsbuildException.class,
        () -> CachePlan.create(pom, cli("msbuild.cache.auth.username", "ci")));
    assertEquals(Optional.of(Setting.CACHE_AUTH), half.setting());
  }

  @Test
  void badInputNamesTheSettingAndTheFix() {
    MsbuildException tagged = assertThrows(MsbuildException.class,
        () -> CachePlan.create(null, cli("msbuild.cache.registry", "registry.example.com/team/cache:latest")));
    assertEquals(Optional.of(Setting.CACHE_REGISTRY), tagged.setting());
    assertTrue(tagged.problem().contains("names a tag or digest"), tagged.problem());
    assertTrue(tagged.fix().contains("registry.example.com/team/app-cache"), tagged.fix());

    MsbuildException hostless = assertThrows(MsbuildException.class,
        () -> CachePlan.create(null, cli("msbuild.cache.registry", "team/cache")));
    assertTrue(hostless.problem().contains("names no registry host"), hostless.problem());

    MsbuildException mode = assertThrows(MsbuildException.class,
        () -> CachePlan.create(null, cli("msbuild.cache.registry", "r.example.com/c", "msbuild.cache.mode", "write")));
    assertEquals(Optional.of(Setting.CACHE_MODE), mode.setting());
    assertTrue(mode.fix().contains("readwrite") && mode.fix().contains("read") && mode.fix().contains("off"), mode.fix());

    MsbuildException size = assertThrows(MsbuildException.class,
        () -> CachePlan.create(null, cli("msbuild.cache.registry", "r.example.com/c", "msbuild.cache.maxBytes", "lots")));
    assertEquals(Optional.of(Setting.CACHE_MAX_BYTES), size.setting());
  }
}
