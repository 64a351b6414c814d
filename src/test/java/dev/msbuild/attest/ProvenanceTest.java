package dev.msbuild.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.msbuild.config.AttestationSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AttestationSpec spec(Optional<Instant> time) {
    return new AttestationSpec(AttestationSpec.SbomFormat.SPDX, true, time, "dev.msbuild:msbuild-maven-plugin:1.2.3",
        "org.example:app:1.0", List.of("package", "msbuild:image"), Map.of("to.image", "registry.test/app:1.0"),
        Optional.of("ccab93c39bea0f382fb5d6a8e52e6ce2ee372d0f"), Optional.of("https://git.example/app.git"), Optional.empty());
  }

  @Test
  void aSlsaV1StatementAboutTheImage() throws Exception {
    byte[] bytes = Provenance.statement(spec(Optional.empty()), "registry.test/app", "sha256:" + "a".repeat(64), "linux/amd64",
        Optional.of("docker.io/library/golang:1.26-alpine@sha256:" + "b".repeat(64)),
        Optional.of("docker.io/library/alpine:3.20@sha256:" + "c".repeat(64)));
    JsonNode s = JSON.readTree(bytes);
    assertEquals("https://in-toto.io/Statement/v1", s.path("_type").asText());
    assertEquals("a".repeat(64), s.path("subject").get(0).path("digest").path("sha256").asText());
    JsonNode p = s.path("predicate");
    assertEquals("pkg:maven/dev.msbuild/msbuild-maven-plugin@1.2.3", p.path("runDetails").path("builder").path("id").asText());
    assertEquals("org.example:app:1.0", p.path("buildDefinition").path("externalParameters").path("project").asText());
    JsonNode deps = p.path("buildDefinition").path("resolvedDependencies");
    assertEquals("docker://docker.io/library/golang:1.26-alpine", deps.get(0).path("uri").asText());
    assertEquals("b".repeat(64), deps.get(0).path("digest").path("sha256").asText());
    assertEquals("git+https://git.example/app.git@ccab93c39bea0f382fb5d6a8e52e6ce2ee372d0f", deps.get(2).path("uri").asText());
    assertFalse(p.path("runDetails").path("metadata").has("startedOn"), "no time unless the build has a reproducible one");
    assertArrayEquals(bytes, Provenance.statement(spec(Optional.empty()), "registry.test/app", "sha256:" + "a".repeat(64),
        "linux/amd64", Optional.of("docker.io/library/golang:1.26-alpine@sha256:" + "b".repeat(64)),
        Optional.of("docker.io/library/alpine:3.20@sha256:" + "c".repeat(64))));
    JsonNode timed = JSON.readTree(Provenance.statement(spec(Optional.of(Instant.parse("2026-01-01T00:00:00Z"))), "registry.test/app",
        "sha256:" + "a".repeat(64), "linux/amd64", Optional.empty(), Optional.empty()));
    assertEquals("2026-01-01T00:00:00Z", timed.path("predicate").path("runDetails").path("metadata").path("startedOn").asText());
  }
}
