package dev.msbuild.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The final image's runtime configuration. Empty values keep the base image's (or the default
 * entrypoint, the artifact itself).
 *
 * @param labels the labels to set: the pom's OCI labels merged under the configured ones
 * @param volumes absolute paths
 * @param user {@code user[:group]}, by name or number; null keeps the base's (or the non-root user)
 * @param format the manifest format
 * @param created the image's creation time: {@code project.build.outputTimestamp} when set,
 *     else the epoch, so the same sources give the same digest
 */
public record ContainerSpec(
    List<String> entrypoint,
    List<String> args,
    Map<String, String> environment,
    List<String> ports,
    Map<String, String> labels,
    String user,
    String workingDirectory,
    List<String> volumes,
    ImageFormat format,
    Optional<Instant> created) {

  public ContainerSpec {
    entrypoint = List.copyOf(entrypoint);
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
    volumes = List.copyOf(volumes);
  }
}
