package dev.msbuild.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which entry of an index is the one for a platform, and whether an image's config is for that
 * platform at all: a single-platform base of another architecture is refused, not shipped.
 */
final class PlatformChoice {
  private PlatformChoice() {}

  /**
   * The entry for {@code platform}: os and architecture must match; a variant asked for must
   * match too (arm/v6 and arm/v7 share the rest). When entries do not name their variant, their
   * configs decide ({@code configPlatform}).
   */
  static Descriptor pick(
      Manifest.Index index, Platform platform, ImageName requested, Setting setting,
      Function<Descriptor, Optional<Platform>> configPlatform) {
    List<Descriptor> candidates = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      Optional<Platform> p = entry.platform();
      if (p.isPresent() && p.get().os().equals(platform.os()) && p.get().architecture().equals(platform.architecture())) {
        candidates.add(entry);
      }
    }
    if (candidates.isEmpty()) {
      throw new MsbuildException(
          "Image " + requested + " has no " + platform + " image; it offers " + offered(index) + ".",
          Setting.PLATFORMS,
          "build only platforms it offers (" + Setting.PLATFORMS + "), or set " + setting + " to an image that has " + platform + ".");
    }
    if (platform.variant() == null) {
      // No variant asked for: the entry without one, else the first (linux/arm64 is arm64/v8).
      return candidates.stream().filter(c -> c.platform().get().variant() == null).findFirst().orElse(candidates.get(0));
    }
    for (Descriptor c : candidates) {
      if (platform.variant().equals(c.platform().get().variant())) {
        return c;
      }
    }
    if (candidates.stream().allMatch(c -> c.platform().get().variant() == null)) {
      for (Descriptor c : candidates) {
        if (configPlatform.apply(c).map(Platform::variant).filter(platform.variant()::equals).isPresent()) {
          return c;
        }
      }
    }
    throw new MsbuildException(
        "Image " + requested + " has " + candidates.size() + " images for " + platform.os() + "/" + platform.architecture()
            + " but none says it is variant " + platform.variant() + ".",
        Setting.PLATFORMS,
        "use a base image whose index or configs name the variant, or build " + platform.os() + "/"
            + platform.architecture() + " without a variant.");
  }

  /**
   * Refuses a config for another platform than {@code platform}: a single-platform image of
   * another architecture, or an index entry whose config contradicts the index.
   */
  static void checkConfig(byte[] config, Platform platform, ImageName requested, Setting setting, boolean fromIndex, Digest manifest) {
    JsonNode json;
    try {
      json = ManifestCodec.JSON.readTree(config);
    } catch (IOException e) {
      throw new MsbuildException("The config of image " + requested + " (" + manifest + ") is not JSON.", setting,
          "use an image built by a standard tool.");
    }
    String os = json == null ? "" : json.path("os").asText("");
    String arch = json == null ? "" : json.path("architecture").asText("");
    String variant = json == null ? "" : json.path("variant").asText("");
    boolean variantOk = platform.variant() == null || variant.isEmpty() || Objects.equals(platform.variant(), variant);
    if (os.equals(platform.os()) && arch.equals(platform.architecture()) && variantOk) {
      return;
    }
    String is = os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    if (fromIndex) {
      throw new MsbuildException(
          "Image " + requested + " lists " + manifest + " as its " + platform + " image, but that image's config says " + is + ".",
          setting, "the index contradicts its own images; use another image or tag in " + setting + ".");
    }
    boolean builder = setting == Setting.BUILDER_IMAGE;
    throw new MsbuildException(
        "Image " + requested + " is a single-platform image for " + is + ", and " + (builder ? "this machine is " : "the build targets ")
            + platform + ".",
        setting,
        builder
            ? "use a builder image for " + platform + " (or a multi-platform one) in " + setting + "."
            : "use a base image for " + platform + " (or a multi-platform index) in " + setting + ", or set "
                + Setting.PLATFORM + " to " + is + ".");
  }

  private static String offered(Manifest.Index index) {
    List<String> platforms = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      platforms.add(entry.platform().map(Platform::toString).orElse("?/?"));
    }
    return platforms.isEmpty() ? "no platforms" : String.join(", ", platforms);
  }
}
