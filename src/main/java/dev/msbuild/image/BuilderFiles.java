package dev.msbuild.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The builder stage's filesystem as host paths, for copies into the final image: {@code /out/...}
 * is the build's output, anything else the builder image's root. Symlinks resolve inside it.
 */
public interface BuilderFiles {
  Optional<Path> resolve(String absolutePath) throws IOException;
}
