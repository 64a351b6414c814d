package dev.msbuild.mojo;

import dev.msbuild.config.DockerfileSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.dockerfile.Dockerfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** {@code <dockerfile>}, {@code <target>} and {@code <buildArgs>}, checked before anything runs. */
final class DockerfilePlan {
  private DockerfilePlan() {}

  /**
   * @param basedir the project's directory, which a relative {@code <dockerfile>} is read from
   * @param context the build context: {@code <sourceDirectory>}
   */
  static Optional<DockerfileSpec> create(String dockerfile, String target, Map<String, String> buildArgs, UserProperties props,
      Path basedir, Path context) {
    String file = props.string(Setting.DOCKERFILE, dockerfile);
    String stage = props.string(Setting.DOCKERFILE_TARGET, target);
    Map<String, String> args = props.map(Setting.DOCKERFILE_BUILD_ARGS, buildArgs);
    if (file == null || file.isBlank()) {
      if (stage != null && !stage.isBlank()) {
        throw new MsbuildException("A target stage (" + stage.trim() + ") is set, and no Dockerfile.", Setting.DOCKERFILE_TARGET,
            "set " + Setting.DOCKERFILE + " to the Dockerfile whose stage it is, or remove " + Setting.DOCKERFILE_TARGET + ".");
      }
      return Optional.empty();
    }
    Path path = basedir.resolve(file.trim()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new MsbuildException("The Dockerfile " + path + " does not exist.", Setting.DOCKERFILE,
          "give the path of the Dockerfile, relative to the project's directory (" + basedir + "), for example Dockerfile.");
    }
    for (String name : args.keySet()) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new MsbuildException("'" + name + "' in " + Setting.DOCKERFILE_BUILD_ARGS + " is not an ARG name.", Setting.DOCKERFILE_BUILD_ARGS,
            "use the name an ARG of the Dockerfile declares: letters, digits and '_'.");
      }
    }
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new MsbuildException("Could not read the Dockerfile " + path + ": " + e.getMessage(), Setting.DOCKERFILE,
          "make it readable, as UTF-8 text.", e);
    }
    Path contextDir = context.toAbsolutePath().normalize();
    DockerfileSpec spec = new DockerfileSpec(path, contextDir, text,
        stage == null || stage.isBlank() ? Optional.empty() : Optional.of(stage.trim()), args);
    try {
      // Its syntax and instructions now, before any image is pulled.
      Dockerfile parsed = Dockerfile.read(spec.displayName(), text, args);
      if (spec.target().isPresent()) {
        parsed.target(spec.target());
      }
    } catch (Dockerfile.Invalid e) {
      throw new MsbuildException(e.getMessage() + ".", Setting.DOCKERFILE, "correct that line of the Dockerfile.", e);
    } catch (IllegalArgumentException e) {
      throw new MsbuildException(e.getMessage() + ".", Setting.DOCKERFILE_TARGET, "name one of the stages, by its AS name or its number.");
    }
    return Optional.of(spec);
  }
}
