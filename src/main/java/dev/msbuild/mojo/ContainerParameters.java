package dev.msbuild.mojo;

import java.util.List;
import java.util.Map;

/** {@code <container>}: the final image's runtime configuration. */
public class ContainerParameters {
  List<String> entrypoint;
  List<String> args;
  Map<String, String> environment;
  List<String> ports;
  Map<String, String> labels;
  String user;
  String workingDirectory;
  List<String> volumes;
  String format;
  Boolean labelsFromPom;
}
