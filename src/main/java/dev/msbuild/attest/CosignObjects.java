package dev.msbuild.attest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.oci.Descriptor;
import dev.msbuild.oci.Digest;
import dev.msbuild.oci.Manifest;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signatures and signed attestations laid out as cosign stores them, so that {@code cosign verify}
 * and {@code cosign verify-attestation} find and check them: under the tags
 * {@code sha256-<hex>.sig} and {@code sha256-<hex>.att} of the image's repository, each an OCI
 * manifest whose layers are the signed payloads.
 */
public final class CosignObjects {
  public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String DSSE = "application/vnd.dsse.envelope.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String SPDX_PREDICATE = "https://spdx.dev/Document";
  public static final String CYCLONEDX_PREDICATE = "https://cyclonedx.org/bom";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosignObjects() {}

  /** A manifest to push under a tag, with the blobs it refers to. */
  public record Signed(String tag, Manifest.Image manifest, byte[] config, List<byte[]> layers, List<Digest> payloadDigests) {}

  public static String signatureTag(Digest image) {
    return "sha256-" + image.hex() + ".sig";
  }

  public static String attestationTag(Digest image) {
    return "sha256-" + image.hex() + ".att";
  }

  /** The simple signing payload cosign signs: the image digest, and the repository as its reference. */
  public static byte[] simpleSigningPayload(String repository, Digest image) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", repository);
    critical.putObject("image").put("docker-manifest-digest", image.toString());
    critical.put("type", "cosign container image signature");
    root.putNull("optional");
    return bytes(root);
  }

  /** The image's signature: the payload as the one layer, its signature in the layer's annotation. */
  public static Signed signature(String repository, Digest image, Signer signer) {
    byte[] payload = simpleSigningPayload(repository, image);
    Descriptor layer = Descriptor.of(SIMPLE_SIGNING, payload).withAnnotations(Map.of(SIGNATURE_ANNOTATION, signer.sign(payload)));
    return manifest(signatureTag(image), List.of(layer), List.of(payload));
  }

  /** Each in-toto statement in a signed DSSE envelope, one layer each. */
  public static Signed attestations(Digest image, List<byte[]> statements, List<String> predicateTypes, Signer signer) {
    List<Descriptor> layers = new ArrayList<>();
    List<byte[]> envelopes = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      byte[] envelope = envelope(statements.get(i), signer);
      envelopes.add(envelope);
      layers.add(Descriptor.of(DSSE, envelope).withAnnotations(Map.of(SIGNATURE_ANNOTATION, "", "predicateType", predicateTypes.get(i))));
    }
    return manifest(attestationTag(image), layers, envelopes);
  }

  /** An in-toto statement about {@code image} whose predicate is a whole document (an SBOM). */
  public static byte[] statement(String repository, Digest image, String predicateType, byte[] predicate) {
    try {
      ObjectNode root = JSON.createObjectNode();
      root.put("_type", Provenance.STATEMENT_TYPE);
      ObjectNode subject = root.putArray("subject").addObject();
      subject.put("name", repository);
      subject.putObject("digest").put("sha256", image.hex());
      root.put("predicateType", predicateType);
      root.set("predicate", JSON.readTree(predicate));
      return bytes(root);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the SBOM is not JSON", e);
    }
  }

  /** A DSSE envelope: the signature is over DSSE's pre-authentication encoding of type and payload. */
  static byte[] envelope(byte[] statement, Signer signer) {
    String type = Provenance.MEDIA_TYPE;
    byte[] pae = ("DSSEv1 " + type.getBytes(StandardCharsets.UTF_8).length + " " + type + " " + statement.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[pae.length + statement.length];
    System.arraycopy(pae, 0, signed, 0, pae.length);
    System.arraycopy(statement, 0, signed, pae.length, statement.length);
    ObjectNode root = JSON.createObjectNode();
    root.put("payloadType", type);
    root.put("payload", Base64.getEncoder().encodeToString(statement));
    root.putArray("signatures").addObject().put("keyid", "").put("sig", signer.sign(signed));
    return bytes(root);
  }

  private static Signed manifest(String tag, List<Descriptor> layers, List<byte[]> contents) {
    // A config as cosign writes one: no platform, the layers' digests as diff ids.
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.put("os", "");
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    layers.forEach(l -> rootfs.withArray("diff_ids").add(l.digest().toString()));
    byte[] configBytes = bytes(config);
    Manifest.Image manifest = ManifestCodec.writeImage(MediaTypes.OCI_MANIFEST, Descriptor.of(MediaTypes.OCI_CONFIG, configBytes), layers,
        Optional.empty(), Optional.empty(), Map.of());
    return new Signed(tag, manifest, configBytes, contents, layers.stream().map(Descriptor::digest).toList());
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
