package dev.msbuild.mojo;

import dev.msbuild.config.CacheSpec;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.Setting;
import java.util.Optional;

/** {@code <cache>} and its {@code -D} properties, as a {@link CacheSpec}. */
final class CachePlan {
  private CachePlan() {}

  static CacheSpec create(CacheParameters cache, UserProperties props) {
    CacheParameters in = cache == null ? new CacheParameters() : cache;
    String text = props.string(Setting.CACHE_REGISTRY, in.registry);
    String modeText = props.string(Setting.CACHE_MODE, in.mode);
    CacheSpec.Mode mode = modeText == null || modeText.isBlank() ? CacheSpec.Mode.READ_WRITE : CacheSpec.Mode.parse(modeText);
    long maxBytes = PlanFactory.bytes(props.string(Setting.CACHE_MAX_BYTES, in.maxBytes), CacheSpec.DEFAULT_MAX_BYTES,
        Setting.CACHE_MAX_BYTES);
    RegistryAuth auth = PlanFactory.auth(in.auth, in.credHelper, props, Setting.CACHE_AUTH, Setting.CACHE_AUTH_PASSWORD,
        Setting.CACHE_CRED_HELPER);
    if (text == null || text.isBlank()) {
      return new CacheSpec(Optional.empty(), CacheSpec.Mode.OFF, auth, maxBytes);
    }
    String trimmed = text.trim();
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    if (last.contains(":") || trimmed.contains("@")) {
      throw new MsbuildException(
          "The cache repository '" + trimmed + "' names a tag or digest; each cache entry is a tag of its own there.",
          Setting.CACHE_REGISTRY,
          "give a repository only, for example registry.example.com/team/app-cache.");
    }
    if (!trimmed.contains("/") || !isHost(trimmed.substring(0, trimmed.indexOf('/')))) {
      throw new MsbuildException(
          "The cache repository '" + trimmed + "' names no registry host.",
          Setting.CACHE_REGISTRY,
          "give the registry and the repository, for example registry.example.com/team/app-cache.");
    }
    return new CacheSpec(Optional.of(ImageName.parse(trimmed, Setting.CACHE_REGISTRY)), mode, auth, maxBytes);
  }

  private static boolean isHost(String head) {
    return head.contains(".") || head.contains(":") || head.equals("localhost") || head.startsWith("[");
  }
}
