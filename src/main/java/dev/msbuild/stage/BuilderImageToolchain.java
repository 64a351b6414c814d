package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.GoBuild;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.image.ImageConfig;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.PulledImage;
import dev.msbuild.rootfs.LayerUnpacker;
import dev.msbuild.rootfs.RootPaths;
import dev.msbuild.rootfs.RootfsCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Go toolchain of a builder image: the image is pulled for this machine's platform, unpacked
 * once into the root filesystem cache, and its {@code go} (statically linked in the official
 * images since Go 1.21) runs directly on this machine with GOROOT pointed inside the root.
 */
final class BuilderImageToolchain {
  private final ImagePuller puller;
  private final RootfsCache roots;
  private final BuildLog log;

  BuilderImageToolchain(ImagePuller puller, RootfsCache roots, BuildLog log) {
    this.puller = puller;
    this.roots = roots;
    this.log = log;
  }

  GoToolchain resolve(GoBuild go) {
    Platform host = Platform.host();
    if (!host.os().equals("linux")) {
      throw new MsbuildException(
          "The builder image's toolchain runs only on a Linux machine; this one is "
              + System.getProperty("os.name") + ".",
          Setting.BUILDER_TOOLCHAIN,
          "set " + Setting.BUILDER_TOOLCHAIN + " to host to use the go on your PATH.");
    }
    ImageName name = go.builderImage();
    PulledImage image = puller.pull(name, host, Setting.BUILDER_IMAGE);
    Path root;
    try {
      root =
          roots.obtain(
              image.manifestDigest(),
              emptyRoot -> {
                log.info("Unpacking builder image " + name + " (" + image.layers().size() + " layers) into the cache");
                LayerUnpacker unpacker = new LayerUnpacker(emptyRoot);
                for (PulledImage.Layer layer : image.layers()) {
                  try (InputStream in = Files.newInputStream(layer.file())) {
                    unpacker.apply(in, layer.digest());
                  }
                }
              });
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not unpack builder image " + name + ": " + e.getMessage(),
          Setting.BUILDER_IMAGE,
          "use a builder image whose layers are well-formed, or check that " + Setting.CACHE_DIRECTORY + " is writable.",
          e);
    }
    ImageConfig config = image.config();
    Map<String, String> imageEnv = config.envMap();
    try {
      Path goCommand = findGo(root, imageEnv.getOrDefault("PATH", "/usr/local/go/bin:/usr/bin:/bin"))
          .orElseThrow(
              () ->
                  new MsbuildException(
                      "Builder image " + name + " has no go command on its PATH ("
                          + imageEnv.getOrDefault("PATH", "") + ").",
                      Setting.BUILDER_IMAGE,
                      "use a golang image (for example golang:1.26-alpine) or set "
                          + Setting.BUILDER_TOOLCHAIN + " to host."));
      Path goRoot =
          imageEnv.containsKey("GOROOT")
              ? RootPaths.resolve(root, imageEnv.get("GOROOT")).orElse(goCommand.getParent().getParent())
              : goCommand.getParent().getParent();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("GOROOT", goRoot.toString());
      // Only the toolchain's own settings travel; the user's go env file must not change the build.
      env.put("GOENV", "off");
      return new GoToolchain(
          goCommand, env, "builder image " + name + "@" + image.resolvedDigest(), image.manifestDigest());
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not read builder image " + name + ": " + e.getMessage(), Setting.BUILDER_IMAGE, "check the image.", e);
    }
  }

  private static Optional<Path> findGo(Path root, String path) throws IOException {
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Optional<Path> go = RootPaths.resolve(root, dir + "/go");
      if (go.isPresent() && Files.isRegularFile(go.get()) && Files.isExecutable(go.get())) {
        return go;
      }
    }
    return Optional.empty();
  }
}
