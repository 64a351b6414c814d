package dev.msbuild.config;

import java.util.List;
import java.util.Map;

/**
 * The final image's runtime configuration. Empty values keep the base image's (or the default
 * entrypoint, the artifact itself).
 */
public record ContainerSpec(
    List<String> entrypoint,
    List<String> args,
    Map<String, String> environment,
    List<String> ports,
    Map<String, String> labels,
    String user,
    String workingDirectory) {

  public ContainerSpec {
    entrypoint = List.copyOf(entrypoint);
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
  }
}
