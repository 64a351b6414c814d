package dev.msbuild.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is attached to each pushed image: its SBOM, in which format, and its provenance, with what
 * the build knows of itself to put in it.
 *
 * @param sbom the SBOM's format; {@link SbomFormat#NONE} attaches none
 * @param provenance whether an in-toto SLSA provenance statement is attached
 * @param timestamp the build's reproducible time (outputTimestamp or SOURCE_DATE_EPOCH); the documents' time when set
 * @param plugin this plugin's coordinates, {@code group:artifact:version}
 * @param project the project's coordinates, {@code group:artifact:version}
 * @param goals the goals Maven was asked to run
 * @param settings the plugin's effective settings, secrets removed
 * @param gitRevision the commit the project is at, when it is a git checkout
 * @param gitRemote the checkout's origin URL, without credentials
 * @param signingKey the PEM key that signs the image and its attestations, cosign's way; empty signs nothing
 */
public record AttestationSpec(
    SbomFormat sbom, boolean provenance, Optional<Instant> timestamp, String plugin, String project, List<String> goals,
    Map<String, String> settings, Optional<String> gitRevision, Optional<String> gitRemote, Optional<SigningKey> signingKey) {

  public static final AttestationSpec NONE = new AttestationSpec(SbomFormat.NONE, false, Optional.empty(), "", "", List.of(),
      Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

  /** A key file, and how the user named it ({@code <sign><key>}, a settings.xml server), for messages. */
  public record SigningKey(java.nio.file.Path file, String source) {}

  public AttestationSpec {
    goals = List.copyOf(goals);
    settings = Map.copyOf(settings);
  }

  public boolean any() {
    return sbom != SbomFormat.NONE || provenance || signingKey.isPresent();
  }

  /** The SBOM formats. */
  public enum SbomFormat { SPDX, CYCLONEDX, NONE }
}
