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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;

/** Applies the container configuration to a staged image. */
public final class ImageAssembler {
  private ImageAssembler() {}

  public static final String BASE_NAME_LABEL = "org.opencontainers.image.base.name";
  public static final String BASE_DIGEST_LABEL = "org.opencontainers.image.base.digest";

  /**
   * @param defaultEntrypoint used when the configuration sets none: the artifact itself
   * @param stageEnvironment variables the final stage's files need (ZONEINFO); configured ones win
   * @param defaultUser the user when none is configured (the non-root user, if one was added)
   */
  public static AssembledImage assemble(
      StagedImage staged,
      ContainerSpec spec,
      List<String> defaultEntrypoint,
      Map<String, String> stageEnvironment,
      Optional<String> defaultUser) {
    JibContainerBuilder builder = Jib.from(TarImage.at(staged.tar()));
    boolean ownEntrypoint = !spec.entrypoint().isEmpty();
    builder.setEntrypoint(ownEntrypoint ? spec.entrypoint() : defaultEntrypoint);
    // As in a Dockerfile, a new entrypoint drops the base's CMD: alpine's /bin/sh must not
    // become the artifact's argument.
    builder.setProgramArguments(spec.args());
    Map<String, String> environment = new TreeMap<>(stageEnvironment);
    environment.putAll(spec.environment());
    environment.forEach(builder::addEnvironmentVariable);
    builder.setExposedPorts(ports(spec.ports()));
    // Labels: what the base is (a fact of this build), then the configured ones, which win.
    Map<String, String> labels = new TreeMap<>();
    staged.baseName().ifPresent(name -> labels.put(BASE_NAME_LABEL, name));
    staged.baseDigest().ifPresent(digest -> labels.put(BASE_DIGEST_LABEL, digest));
    labels.putAll(spec.labels());
    labels.forEach(builder::addLabel);
    if (spec.user() != null && !spec.user().isEmpty()) {
      builder.setUser(spec.user());
    } else {
      defaultUser.ifPresent(builder::setUser);
    }
    Set<AbsoluteUnixPath> volumes = new LinkedHashSet<>();
    spec.volumes().forEach(v -> volumes.add(AbsoluteUnixPath.get(v)));
    if (!volumes.isEmpty()) {
      builder.setVolumes(volumes);
    }
    if (spec.workingDirectory() != null && !spec.workingDirectory().isEmpty()) {
      builder.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
    }
    builder.setCreationTime(spec.created().orElse(Instant.EPOCH));
    builder.setFormat(spec.format() == dev.msbuild.config.ImageFormat.OCI ? ImageFormat.OCI : ImageFormat.Docker);
    return new AssembledImage(builder, staged, key(staged, spec, defaultEntrypoint, environment, defaultUser));
  }

  private static String key(
      StagedImage staged, ContainerSpec spec, List<String> entrypoint, Map<String, String> environment, Optional<String> user) {
    StringBuilder text = new StringBuilder("msbuild image v1\n");
    text.append(staged.baseName().orElse("scratch")).append(' ').append(staged.baseDigest().orElse("")).append('\n');
    staged.layers().forEach(l -> text.append(l.digest()).append('\n'));
    // Field by field, maps sorted: a record's toString would show Map.copyOf's per-JVM order.
    text.append(spec.entrypoint()).append(spec.args()).append(new TreeMap<>(spec.environment())).append(spec.ports())
        .append(new TreeMap<>(spec.labels())).append(spec.user()).append(spec.workingDirectory()).append(spec.volumes())
        .append(spec.format()).append(spec.created()).append('\n').append(entrypoint).append('\n').append(new TreeMap<>(environment)).append('\n')
        .append(user.orElse("")).append('\n');
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
