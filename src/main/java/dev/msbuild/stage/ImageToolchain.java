package dev.msbuild.stage;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.rootfs.RootPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The Go toolchain inside an unpacked builder image. */
final class ImageToolchain {
  private ImageToolchain() {}

  /** The go command and GOROOT as this machine sees them, if the image has a go on its PATH. */
  static Optional<GoToolchain> find(UnpackedImage image) {
    Map<String, String> env = image.config().envMap();
    try {
      for (String dir : env.getOrDefault("PATH", "/usr/local/go/bin:/usr/bin:/bin").split(":")) {
        if (dir.isEmpty()) {
          continue;
        }
        Optional<Path> go = RootPaths.resolve(image.root(), dir + "/go");
        if (go.isPresent() && Files.isRegularFile(go.get()) && Files.isExecutable(go.get())) {
          Path goRoot =
              env.containsKey("GOROOT")
                  ? RootPaths.resolve(image.root(), env.get("GOROOT")).orElse(go.get().getParent().getParent())
                  : go.get().getParent().getParent();
          return Optional.of(
              new GoToolchain(
                  go.get(),
                  Map.of("GOROOT", goRoot.toString(), "GOENV", "off"),
                  "builder image " + image.pinned(),
                  image.shortDigest()));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not read builder image " + image.name() + ": " + e.getMessage(), Setting.BUILDER_IMAGE, "check the image.", e);
    }
  }

  /**
   * Why a toolchain tree cannot run directly on this machine, if it cannot: a symlink in it
   * would be followed by this machine's kernel, so one that leaves the tree (absolute, or
   * climbing out) could make the build read this machine's files instead of the image's.
   */
  static Optional<String> unsafeForDirect(GoToolchain toolchain) {
    Path goRoot = Path.of(toolchain.env().get("GOROOT"));
    try (Stream<Path> files = Files.walk(goRoot)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isSymbolicLink(file)) {
          Path target = Files.readSymbolicLink(file);
          Path resolved = file.getParent().resolve(target).normalize();
          if (target.isAbsolute() || !resolved.startsWith(goRoot)) {
            return Optional.of("its toolchain has a symlink leaving GOROOT (" + goRoot.relativize(file) + " -> " + target + ")");
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("its toolchain could not be checked (" + e.getMessage() + ")");
    }
  }
}
