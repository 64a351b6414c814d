package dev.msbuild.stage;

import dev.msbuild.cache.DirectoryShare;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Go's two caches as the registry cache shares them. The build cache is keyed by the toolchain (the
 * builder image's digest), the target platform and the builder settings, not by the sources: Go
 * names each entry by its own inputs, so yesterday's cache serves today's commit. The module cache
 * (its download directory: zips, go.mod files, checksums; Go unpacks from there without a network)
 * is keyed by go.sum, and is not shared by a module without one.
 */
final class GoCacheDirectories {
  /** Go's build cache entries: {@code <2 hex>/<hex>-a} and {@code -d}; its README and trim.txt are its own. */
  private static final Pattern BUILD_ENTRY = Pattern.compile("[0-9a-f]{2}/[0-9a-f]+-[ad]");

  private GoCacheDirectories() {}

  /**
   * @param toolchain what Go's caches on this machine are kept by (the builder image's short digest, or "host")
   * @param buildCache this platform's build cache directory
   * @param moduleCache the GOMODCACHE directory
   */
  static List<DirectoryShare.Directory> of(BuildPlan plan, String toolchain, Path buildCache, Path moduleCache) throws IOException {
    BuilderSpec spec = plan.builder();
    List<DirectoryShare.Directory> dirs = new ArrayList<>();
    String settings = "flags " + spec.flags() + "\nldflags " + spec.effectiveLdflags() + "\nenv " + new TreeMap<>(spec.env())
        + "\ncommand " + spec.command().orElse("");
    dirs.add(new DirectoryShare.Directory("Go build cache (" + plan.platform() + ")",
        "gobuild-" + hash("msbuild go build cache v1\n" + toolchain + "\n" + plan.platform() + "\n" + settings),
        buildCache, name -> BUILD_ENTRY.matcher(name).matches()));
    Path goSum = plan.sourceDirectory().resolve("go.sum");
    if (Files.isRegularFile(goSum)) {
      dirs.add(new DirectoryShare.Directory("Go module cache",
          "gomod-" + hash("msbuild go module cache v1\n" + Files.readString(goSum)),
          moduleCache.resolve("cache").resolve("download"), name -> !name.endsWith(".lock") && !name.endsWith(".partial") && !name.contains(".tmp")));
    }
    return dirs;
  }

  private static String hash(String text) {
    return Digest.of(text.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 48);
  }
}
