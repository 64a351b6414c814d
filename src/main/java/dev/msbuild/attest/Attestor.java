package dev.msbuild.attest;

import dev.msbuild.config.AttestationSpec;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.ImageContents;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the documents attached to an image once its manifest is known: the SBOM in the configured
 * format and the provenance statement, each as an {@link Attachment} whose subject is the image.
 */
public final class Attestor {
  public static final String PREDICATE_ANNOTATION = "in-toto.io/predicate-type";

  private final AttestationSpec spec;
  private final Optional<Signer> signer;

  /** Reads the signing key now, so that a bad key fails the build before anything is built. */
  public Attestor(AttestationSpec spec) {
    this.spec = spec;
    this.signer = spec.signingKey().map(k -> Signer.load(k.file(), k.source()));
  }

  public Optional<Signer> signer() {
    return signer;
  }

  /**
   * The image's cosign signature and, when there are documents, their signed attestations (the
   * provenance statement as it is; the SBOM as the predicate of an in-toto statement).
   */
  public List<CosignObjects.Signed> sign(String repository, Manifest.Image manifest, List<Attachment> attachments) {
    if (signer.isEmpty()) {
      return List.of();
    }
    List<CosignObjects.Signed> signed = new ArrayList<>();
    signed.add(CosignObjects.signature(repository, manifest.digest(), signer.get()));
    List<byte[]> statements = new ArrayList<>();
    List<String> predicates = new ArrayList<>();
    for (Attachment a : attachments) {
      switch (a.artifactType()) {
        case Provenance.MEDIA_TYPE -> {
          statements.add(a.document());
          predicates.add(Provenance.PREDICATE_TYPE);
        }
        case SpdxWriter.MEDIA_TYPE -> {
          statements.add(CosignObjects.statement(repository, manifest.digest(), CosignObjects.SPDX_PREDICATE, a.document()));
          predicates.add(CosignObjects.SPDX_PREDICATE);
        }
        case CycloneDxWriter.MEDIA_TYPE -> {
          statements.add(CosignObjects.statement(repository, manifest.digest(), CosignObjects.CYCLONEDX_PREDICATE, a.document()));
          predicates.add(CosignObjects.CYCLONEDX_PREDICATE);
        }
        default -> { }
      }
    }
    if (!statements.isEmpty()) {
      signed.add(CosignObjects.attestations(manifest.digest(), statements, predicates, signer.get()));
    }
    return signed;
  }

  public boolean any() {
    return spec.any();
  }

  /** The artifact types this attaches to every image, to tell whether a registry has them already. */
  public List<String> artifactTypes() {
    List<String> types = new ArrayList<>();
    switch (spec.sbom()) {
      case SPDX -> types.add(SpdxWriter.MEDIA_TYPE);
      case CYCLONEDX -> types.add(CycloneDxWriter.MEDIA_TYPE);
      case NONE -> { }
    }
    if (spec.provenance()) {
      types.add(Provenance.MEDIA_TYPE);
    }
    return types;
  }

  /**
   * @param repository the image's repository, {@code registry/team/app}
   * @param name the image as tagged, {@code registry/team/app:1.0}
   */
  public List<Attachment> attach(String repository, String name, AssembledImage image, Manifest.Image manifest) {
    List<Attachment> attachments = new ArrayList<>();
    Instant time = spec.timestamp().orElse(Instant.EPOCH);
    String tool = toolName();
    String version = spec.plugin().substring(spec.plugin().lastIndexOf(':') + 1);
    if (spec.sbom() != AttestationSpec.SbomFormat.NONE) {
      SbomContents.Graph contents = contents(name, image, manifest).graph();
      if (spec.sbom() == AttestationSpec.SbomFormat.SPDX) {
        attachments.add(Attachment.of("SBOM (SPDX 2.3, " + contents.components().size() + " packages)", SpdxWriter.MEDIA_TYPE,
            SpdxWriter.MEDIA_TYPE, SpdxWriter.write(contents, time, tool + "-" + version), manifest.descriptor(), Map.of()));
      } else {
        attachments.add(Attachment.of("SBOM (CycloneDX 1.6, " + contents.components().size() + " components)",
            CycloneDxWriter.MEDIA_TYPE, CycloneDxWriter.MEDIA_TYPE, CycloneDxWriter.write(contents, time, tool, version),
            manifest.descriptor(), Map.of()));
      }
    }
    if (spec.provenance()) {
      byte[] statement = Provenance.statement(spec, repository, manifest.digest().toString(), image.platform().toString(),
          image.contents().builderImage(), image.baseName().flatMap(b -> image.baseDigest().map(d -> b + "@" + d)));
      attachments.add(Attachment.of("provenance (SLSA v1)", Provenance.MEDIA_TYPE, Provenance.MEDIA_TYPE, statement,
          manifest.descriptor(), Map.of(PREDICATE_ANNOTATION, Provenance.PREDICATE_TYPE)));
    }
    return attachments;
  }

  private String toolName() {
    String[] gav = spec.plugin().split(":");
    return gav.length > 1 ? gav[1] : "msbuild-maven-plugin";
  }

  SbomContents contents(String name, AssembledImage image, Manifest.Image manifest) {
    String platform = image.platform().toString();
    ImageContents in = image.contents();
    try {
      List<SbomContents.Program> programs = new ArrayList<>();
      for (ImageContents.Program p : in.programs()) {
        // One read of the program gives both its checksum and its build info.
        byte[] bytes = java.nio.file.Files.readAllBytes(p.file());
        programs.add(new SbomContents.Program(p.imagePath(), Digest.of(bytes).hex(), GoBuildInfo.parse(bytes)));
      }
      // A build without programs is a Java build: the application and its classpath.
      Optional<SbomContents.JavaApplication> java = Optional.empty();
      String[] gav = spec.project().split(":");
      if (in.programs().isEmpty() && gav.length == 3) {
        List<SbomContents.Jar> jars = new ArrayList<>();
        for (ImageContents.Jar j : in.jars()) {
          jars.add(new SbomContents.Jar(new SbomContents.Coordinates(j.groupId(), j.artifactId(), j.version()), sha256(j.file()),
              j.imagePath()));
        }
        java = Optional.of(new SbomContents.JavaApplication(new SbomContents.Coordinates(gav[0], gav[1], gav[2]), jars,
            in.runtimeModules()));
      }
      Optional<SbomContents.Subject> base = image.baseName().map(b -> new SbomContents.Subject(b, image.baseDigest().orElse(""), platform));
      return new SbomContents(new SbomContents.Subject(name, manifest.digest().toString(), platform), base, programs, java,
          OsPackages.of(in.baseFiles()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read what the image holds for its SBOM: " + e.getMessage(), e);
    }
  }

  private static String sha256(Path file) throws IOException {
    return Digest.of(file).hex();
  }
}
