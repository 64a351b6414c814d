package dev.msbuild.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile the build runs as written ({@code <dockerfile>}), in place of the pom's builder and
 * final-stage settings.
 *
 * @param file the Dockerfile
 * @param context the build context COPY and ADD read from: the project's source directory
 * @param text the file's content, read once when the plan was made
 * @param target the stage to build ({@code <target>}); the last one when empty
 * @param buildArgs values for the Dockerfile's ARGs ({@code <buildArgs>})
 */
public record DockerfileSpec(Path file, Path context, String text, Optional<String> target, Map<String, String> buildArgs) {
  public DockerfileSpec {
    buildArgs = Map.copyOf(buildArgs);
  }

  /** How messages name the file: its path relative to the context when it is inside it. */
  public String displayName() {
    return file.startsWith(context) ? context.relativize(file).toString() : file.toString();
  }
}
