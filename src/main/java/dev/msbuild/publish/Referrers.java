package dev.msbuild.publish;

import dev.msbuild.attest.Attachment;
import dev.msbuild.attest.Attestor;
import dev.msbuild.attest.CosignObjects;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.config.BuildLog;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import dev.msbuild.registry.RegistryException;
import dev.msbuild.registry.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Attaches documents to an image in one repository as OCI 1.1 referrers. Each is pushed as a
 * manifest with the image as its subject; a registry with the referrers API says so (OCI-Subject)
 * and indexes it itself. For one without it (the CNCF registry 2.8), the referrers tag schema:
 * the index tagged {@code sha256-<hex of the image digest>} lists them, others' entries kept.
 */
final class Referrers {
  private final Repository repository;
  private final BuildLog log;

  Referrers(Repository repository, BuildLog log) {
    this.repository = repository;
    this.log = log;
  }

  /** The tag the referrers tag schema lists {@code subject}'s referrers under. */
  static String tag(Digest subject) {
    return "sha256-" + subject.hex();
  }

  /** Pushes the attachments of {@code subject}, which the repository already has, and reads the listing back. */
  void push(Manifest.Image subject, List<Attachment> attachments) {
    if (attachments.isEmpty()) {
      return;
    }
    boolean indexed = true;
    for (Attachment a : attachments) {
      repository.pushBlob(a.config(), null, MediaTypes.OCI_EMPTY_CONTENT, Optional.empty());
      repository.pushBlob(a.layer(), null, a.document(), Optional.empty());
      indexed &= repository.putManifest(a.manifest().digest().toString(), a.manifest());
    }
    String how;
    if (indexed) {
      how = "the registry's referrers API indexed them";
    } else {
      String tag = tag(subject.digest());
      List<Descriptor> entries = new ArrayList<>(tagged(subject.digest()).orElse(List.of()));
      Set<Digest> present = entries.stream().map(Descriptor::digest).collect(Collectors.toSet());
      attachments.stream().map(Attachment::referrer).filter(d -> !present.contains(d.digest())).forEach(entries::add);
      Manifest.Index index = ManifestCodec.writeIndex(MediaTypes.OCI_INDEX, entries, Map.of());
      repository.putManifest(tag, index);
      readBack(tag, index.digest());
      how = "listed under " + tag + " (the referrers tag schema: the registry has no referrers API), " + entries.size()
          + " referrers in all";
    }
    for (Attachment a : attachments) {
      log.info("Attached " + a.what() + " to " + subject.digest().shortForm() + " as " + repository.name() + "@" + a.manifest().digest()
          + " (" + String.format("%,d", a.document().length) + " bytes)");
    }
    log.info("Referrers of " + subject.digest().shortForm() + ": " + how);
  }

  /**
   * Attaches {@code attestor}'s documents to {@code image}, just pushed as {@code manifest}. When the
   * push was skipped (the registry had the image), the registry's listing is asked first: if it has
   * a referrer of every type already, nothing is made or sent.
   *
   * @param name the image as tagged, for the SBOM
   */
  List<PublishResult.AttachedDocument> attach(Attestor attestor, String name, AssembledImage image, Manifest.Image manifest,
      boolean pushSkipped) {
    if (!attestor.any()) {
      return List.of();
    }
    String platform = image.platform().toString();
    if (pushSkipped) {
      Optional<List<Descriptor>> listed = listedOfTypes(manifest.digest(), attestor.artifactTypes());
      if (listed.isPresent()
          && (attestor.signer().isEmpty() || repository.tagDigest(CosignObjects.signatureTag(manifest.digest())).isPresent())) {
        log.info("Attachments skipped: " + repository.name() + " lists " + String.join(", ", attestor.artifactTypes()) + " for "
            + manifest.digest().shortForm() + " already");
        return listed.get().stream().map(d -> new PublishResult.AttachedDocument(platform, manifest.digest().toString(),
            d.artifactType().orElse(""), d.digest().toString(), d.size(), 0, "as listed")).toList();
      }
    }
    String at = repository.registry() + "/" + repository.name();
    List<Attachment> attachments = attestor.attach(at, name, image, manifest);
    push(manifest, attachments);
    for (CosignObjects.Signed signed : attestor.sign(at, manifest, attachments)) {
      pushSigned(signed);
    }
    attestor.signer().ifPresent(s -> log.info("Signed " + manifest.digest().shortForm() + (attachments.isEmpty() ? "" : " and its "
        + attachments.size() + " attestations") + " with the key from " + s.source() + " (cosign verify --key <public key> "
        + at + "@" + manifest.digest() + ")"));
    return attachments.stream().map(a -> PublishResult.AttachedDocument.of(platform, manifest, a)).toList();
  }

  /** Signs an index (a multi-platform image) itself; its platforms' images are signed with their attachments. */
  void signIndex(Attestor attestor, Manifest.Index index) {
    if (attestor.signer().isEmpty()) {
      return;
    }
    String at = repository.registry() + "/" + repository.name();
    pushSigned(CosignObjects.signature(at, index.digest(), attestor.signer().get()));
    log.info("Signed the index " + index.digest().shortForm() + " with the key from " + attestor.signer().get().source());
  }

  /** A cosign signature or attestation manifest, under its tag, read back. */
  private void pushSigned(CosignObjects.Signed signed) {
    repository.pushBlob(signed.manifest().config(), null, signed.config(), Optional.empty());
    for (int i = 0; i < signed.layers().size(); i++) {
      repository.pushBlob(signed.manifest().layers().get(i), null, signed.layers().get(i), Optional.empty());
    }
    repository.putManifest(signed.tag(), signed.manifest());
    readBack(signed.tag(), signed.manifest().digest());
  }

  /** Fails unless {@code tag} now names exactly what was just pushed under it. */
  private void readBack(String tag, Digest pushed) {
    Optional<Digest> served = repository.tagDigest(tag);
    if (!served.equals(Optional.of(pushed))) {
      throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, repository.registry(), "read back " + repository.name() + ":"
          + tag, 200, "it serves " + served.map(Digest::toString).orElse("nothing") + " under " + tag + ", not the " + pushed
          + " just pushed (another push of the same image at once?)");
    }
  }

  /** The listed referrers of {@code subject} of the given types, when there is one of each. */
  private Optional<List<Descriptor>> listedOfTypes(Digest subject, List<String> artifactTypes) {
    List<Descriptor> listed = listed(subject).orElse(List.of());
    List<Descriptor> found = new ArrayList<>();
    for (String type : artifactTypes) {
      Optional<Descriptor> one = listed.stream().filter(d -> d.artifactType().equals(Optional.of(type))).findFirst();
      if (one.isEmpty()) {
        return Optional.empty();
      }
      found.add(one.get());
    }
    return Optional.of(found);
  }

  /** The referrers the tag schema's index lists, or else the referrers API; empty when neither has any. */
  private Optional<List<Descriptor>> listed(Digest subject) {
    Optional<List<Descriptor>> tagged = tagged(subject);
    return tagged.isPresent() ? tagged : repository.referrers(subject).map(Manifest.Index::manifests);
  }

  /** What the referrers tag schema's index of {@code subject} lists; empty when there is none. */
  private Optional<List<Descriptor>> tagged(Digest subject) {
    try {
      return repository.manifest(tag(subject), Optional.empty()) instanceof Manifest.Index index
          ? Optional.of(index.manifests()) : Optional.empty();
    } catch (RegistryException e) {
      if (e.kind() != RegistryException.Kind.NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }
}
