package dev.msbuild.image;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.msbuild.config.ContainerSpec;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Applies the container configuration to a staged image. */
public final class ImageAssembler {
  private ImageAssembler() {}

  /**
   * @param defaultEntrypoint used when the configuration sets none: the artifact itself
   */
  public static AssembledImage assemble(StagedImage staged, ContainerSpec spec, List<String> defaultEntrypoint) {
    JibContainerBuilder builder = Jib.from(TarImage.at(staged.tar()));
    boolean ownEntrypoint = !spec.entrypoint().isEmpty();
    builder.setEntrypoint(ownEntrypoint ? spec.entrypoint() : defaultEntrypoint);
    // As in a Dockerfile, a new entrypoint drops the base's CMD: alpine's /bin/sh must not
    // become the artifact's argument.
    builder.setProgramArguments(spec.args());
    spec.environment().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> builder.addEnvironmentVariable(e.getKey(), e.getValue()));
    builder.setExposedPorts(ports(spec.ports()));
    spec.labels().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> builder.addLabel(e.getKey(), e.getValue()));
    if (spec.user() != null && !spec.user().isEmpty()) {
      builder.setUser(spec.user());
    }
    if (spec.workingDirectory() != null && !spec.workingDirectory().isEmpty()) {
      builder.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
    }
    builder.setCreationTime(Instant.EPOCH);
    builder.setFormat(ImageFormat.Docker);
    return new AssembledImage(builder, staged);
  }

  /** Ports as validated by the plan: {@code 8080}, {@code 8080/udp}, {@code 9000-9002/tcp}. */
  static Set<Port> ports(List<String> specs) {
    Set<Port> ports = new LinkedHashSet<>();
    for (String spec : specs) {
      String[] numberAndProtocol = spec.trim().split("/", 2);
      boolean udp = numberAndProtocol.length == 2 && numberAndProtocol[1].equalsIgnoreCase("udp");
      String[] range = numberAndProtocol[0].split("-", 2);
      int low = Integer.parseInt(range[0]);
      int high = range.length == 2 ? Integer.parseInt(range[1]) : low;
      for (int port = low; port <= high; port++) {
        ports.add(udp ? Port.udp(port) : Port.tcp(port));
      }
    }
    return ports;
  }
}
