package dev.msbuild.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SbomWritersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Instant TIME = Instant.parse("2026-01-02T03:04:05Z");

  static SbomContents contents() {
    GoBuildInfo info = GoBuildInfo.fromModinfo("go1.26.8", String.join("\n",
        "path\texample.com/web/cmd/web",
        "mod\texample.com/web\t(devel)\t",
        "dep\tgithub.com/gorilla/mux\tv1.8.1\th1:TuBL49tXwgrFYWhqrNgrUNEY92u81SPhu7sTdzQEiWY=",
        "dep\tgolang.org/x/text\tv0.3.0\th1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=",
        "=>\tgolang.org/x/text\tv0.21.0\th1:4IBZH9l2ILOmTMnohjD5yb94GRnmZ0T9kGj9Jsh2mI8=",
        "build\t-compiler=gc",
        "build\tGOOS=linux", ""));
    OsPackages os = OsPackages.of(Map.of(
        OsPackages.APK_DB, ("C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\n"
            + "P:busybox\nV:1.36.1-r29\nA:x86_64\nL:GPL-2.0-only\n\n").getBytes(StandardCharsets.UTF_8),
        "/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n".getBytes(StandardCharsets.UTF_8))).orElseThrow();
    return new SbomContents(
        new SbomContents.Subject("registry.test/team/web:1.0", "sha256:" + "a".repeat(64), "linux/amd64"),
        Optional.of(new SbomContents.Subject("docker.io/library/alpine:3.20", "sha256:" + "b".repeat(64), "linux/amd64")),
        List.of(new SbomContents.Program("/usr/local/bin/web", "c".repeat(64), Optional.of(info))), Optional.empty(), Optional.of(os));
  }

  @Test
  void spdxListsEveryModuleAndPackageAsPackageUrls() throws Exception {
    byte[] bytes = SpdxWriter.write(contents().graph(), TIME, "msbuild-maven-plugin-test");
    JsonNode doc = JSON.readTree(bytes);
    assertEquals("SPDX-2.3", doc.path("spdxVersion").asText());
    assertEquals("2026-01-02T03:04:05Z", doc.path("creationInfo").path("created").asText());
    List<String> purls = new ArrayList<>();
    doc.path("packages").forEach(p -> p.path("externalRefs").forEach(r -> purls.add(r.path("referenceLocator").asText())));
    assertTrue(purls.contains("pkg:golang/github.com/gorilla/mux@v1.8.1"), purls.toString());
    assertTrue(purls.contains("pkg:golang/golang.org/x/text@v0.21.0"), purls.toString());
    assertTrue(purls.contains("pkg:golang/stdlib@go1.26.8"), purls.toString());
    assertTrue(purls.contains("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3"), purls.toString());
    assertTrue(purls.stream().anyMatch(p -> p.startsWith("pkg:oci/alpine@sha256")), purls.toString());
    assertArrayEquals(bytes, SpdxWriter.write(contents().graph(), TIME, "msbuild-maven-plugin-test"), "the same contents, the same bytes");
  }

  @Test
  void cycloneDxListsTheSameComponents() throws Exception {
    byte[] bytes = CycloneDxWriter.write(contents().graph(), TIME, "msbuild-maven-plugin", "test");
    JsonNode bom = JSON.readTree(bytes);
    assertEquals("1.6", bom.path("specVersion").asText());
    List<String> purls = new ArrayList<>();
    bom.path("components").forEach(c -> purls.add(c.path("purl").asText()));
    assertTrue(purls.contains("pkg:golang/github.com/gorilla/mux@v1.8.1"), purls.toString());
    assertTrue(purls.contains("pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3"), purls.toString());
    assertArrayEquals(bytes, CycloneDxWriter.write(contents().graph(), TIME, "msbuild-maven-plugin", "test"));
  }
}
