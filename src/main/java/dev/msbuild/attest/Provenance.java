package dev.msbuild.attest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.AttestationSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How an image was made, as an in-toto statement with a SLSA provenance v1 predicate: the image
 * digest as its subject; the plugin as the builder; the Maven project, goals and the plugin's
 * settings (secrets removed) as external parameters; the builder image, the base image and the
 * git commit as resolved dependencies. Times are the build's reproducible timestamp, or left out.
 */
public final class Provenance {
  public static final String MEDIA_TYPE = "application/vnd.in-toto+json";
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "urn:msbuild-maven-plugin:buildtype:image:v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Provenance() {}

  /**
   * @param subjectName the image's repository, {@code registry/team/app}
   * @param subjectDigest its manifest's digest
   * @param builderImage the builder image, {@code name@sha256:...}
   * @param baseImage the base image, {@code name@sha256:...}
   */
  public static byte[] statement(AttestationSpec spec, String subjectName, String subjectDigest, String platform,
      Optional<String> builderImage, Optional<String> baseImage) {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", STATEMENT_TYPE);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put("sha256", hex(subjectDigest));
    root.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = root.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    external.put("project", spec.project());
    spec.goals().forEach(external.putArray("goals")::add);
    external.put("platform", platform);
    ObjectNode settings = external.putObject("settings");
    new TreeMap<>(spec.settings()).forEach(settings::put);
    ArrayNode resolved = definition.putArray("resolvedDependencies");
    builderImage.ifPresent(i -> image(resolved.addObject(), i, "builder image"));
    baseImage.ifPresent(i -> image(resolved.addObject(), i, "base image"));
    spec.gitRevision().ifPresent(rev -> {
      ObjectNode git = resolved.addObject();
      git.put("uri", "git+" + spec.gitRemote().orElse("file:.") + "@" + rev);
      git.putObject("digest").put(rev.length() == 40 ? "gitCommit" : "sha256", rev);
      git.put("name", "source");
    });
    ObjectNode run = predicate.putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", "pkg:maven/" + spec.plugin().replaceFirst(":", "/").replaceFirst(":", "@"));
    ObjectNode metadata = run.putObject("metadata");
    metadata.put("invocationId", subjectName + "@" + subjectDigest);
    spec.timestamp().map(Instant::toString).ifPresent(t -> {
      metadata.put("startedOn", t);
      metadata.put("finishedOn", t);
    });
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the provenance statement", e);
    }
  }

  private static void image(ObjectNode node, String reference, String name) {
    int at = reference.lastIndexOf('@');
    node.put("uri", "docker://" + reference.substring(0, at));
    node.putObject("digest").put("sha256", hex(reference.substring(at + 1)));
    node.put("name", name);
  }

  private static String hex(String digest) {
    return digest.startsWith("sha256:") ? digest.substring(7) : digest;
  }
}
