package dev.msbuild.stage;

import dev.msbuild.image.BuilderFiles;
import dev.msbuild.rootfs.RootPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The builder stage's filesystem as {@code COPY --from=builder} sees it: {@code /out/...} is what
 * the build wrote (in direct mode that is the artifacts themselves), everything else is the
 * builder image's root, unpacked only when a copy asks for it. Symlinks resolve inside the root.
 */
public final class BuilderStageFiles implements BuilderFiles {
  private final Supplier<UnpackedImage> image;
  private final Optional<Path> outDirectory;
  private final Map<String, Path> artifacts = new LinkedHashMap<>();

  /**
   * @param outDirectory what a sandboxed build wrote to /out; empty for direct builds, whose only
   *     outputs are the artifacts
   */
  BuilderStageFiles(Supplier<UnpackedImage> image, Optional<Path> outDirectory, List<Artifact> artifacts) {
    this.image = image;
    this.outDirectory = outDirectory;
    artifacts.forEach(a -> this.artifacts.put(a.name(), a.file()));
  }

  @Override
  public Optional<Path> resolve(String absolutePath) throws IOException {
    if (absolutePath.equals(SandboxSpec.OUT) || absolutePath.startsWith(SandboxSpec.OUT + "/")) {
      String relative = absolutePath.substring(SandboxSpec.OUT.length());
      Optional<Path> written = outDirectory.filter(Files::isDirectory).isPresent()
          ? RootPaths.resolve(outDirectory.get(), relative.isEmpty() ? "/" : relative)
          : Optional.empty();
      if (written.isPresent()) {
        return written;
      }
      return Optional.ofNullable(artifacts.get(relative.replaceFirst("^/+", "")));
    }
    return RootPaths.resolve(image.get().root(), absolutePath);
  }

  /** GOROOT inside the builder image ({@code /usr/local/go} in the official images), if it has a go. */
  public Optional<String> goRoot() {
    UnpackedImage unpacked = image.get();
    return ImageToolchain.find(unpacked)
        .map(t -> "/" + unpacked.root().relativize(Path.of(t.env().get("GOROOT"))).toString());
  }
}
