package dev.msbuild.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test bed's fault proxies are where tests expect them and do what they are for, and the
 * {@link ItChecks} helpers that drive them work. Checks the test bed, not the plugin.
 */
class FaultProxiesIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String MANIFEST_TYPES =
      "application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json";

  @Test
  void testbedPropertiesAreFoundWithAndWithoutTheSystemProperty() throws IOException {
    String faulty = ItChecks.testbedProperty("testbed.faultyRegistry");
    assertEquals(System.getProperty("testbed.faultyRegistry"), faulty);
    String configured = System.clearProperty("testbed.propertiesFile");
    try {
      assertEquals(faulty, ItChecks.testbedProperty("testbed.faultyRegistry"), "the file beside the test classes");
    } finally {
      if (configured != null) {
        System.setProperty("testbed.propertiesFile", configured);
      }
    }
    assertTrue(ItChecks.testbedProperty("testbed.alpineAmd64Digest").matches("sha256:[0-9a-f]{64}"));
  }

  @Test
  void faultyProxyInjectsFaultsWhenSwitchedOnAndForwardsOtherwise() throws Exception {
    String faulty = System.getProperty("testbed.faultyRegistry");
    JsonNode before = ItChecks.proxyStats(faulty).path("config");
    try {
      ItChecks.proxyReset(faulty);
      assertEquals(200, get(faulty, "/v2/").statusCode());
      JsonNode config = ItChecks.proxyConfigure(faulty, "{\"fault_rate\": 1, \"faults\": [\"503\"]}");
      assertEquals(1.0, config.path("fault_rate").asDouble());
      assertEquals(503, get(faulty, "/v2/").statusCode());
      JsonNode stats = ItChecks.proxyStats(faulty);
      assertEquals(2, stats.path("requests").asInt());
      assertEquals(1, stats.path("faulted").asInt());
      assertEquals(1, stats.path("by_fault").path("503").asInt());
      assertEquals(0, ItChecks.proxyReset(faulty).path("requests").asInt());
    } finally {
      // Back to the configuration it had (html and swap_manifests are fixed at start).
      ObjectNode restore = before.deepCopy();
      restore.remove(List.of("html", "swap_manifests"));
      ItChecks.proxyConfigure(faulty, restore.toString());
      ItChecks.proxyReset(faulty);
    }
    String digest = ItChecks.testbedProperty("testbed.alpineAmd64Digest");
    HttpResponse<byte[]> manifest = get(faulty, "/v2/library/alpine/manifests/" + digest);
    assertEquals(200, manifest.statusCode());
    assertEquals(digest, sha256(manifest.body()));
  }

  @Test
  void htmlProxyAnswersALoginPage() throws Exception {
    HttpResponse<byte[]> answer = get(System.getProperty("testbed.htmlRegistry"), "/v2/library/alpine/manifests/3.20");
    assertEquals(200, answer.statusCode());
    assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains("Sign in"));
  }

  @Test
  void hostileProxyServesOtherBytesUnderTheRequestedDigest() throws Exception {
    String hostile = System.getProperty("testbed.hostileRegistry");
    for (String[] swapped : new String[][] {
        {"library/alpine", ItChecks.testbedProperty("testbed.alpineAmd64Digest")},
        {"library/golang", ItChecks.testbedProperty("testbed.golangManifestDigest")}}) {
      HttpResponse<byte[]> answer = get(hostile, "/v2/" + swapped[0] + "/manifests/" + swapped[1]);
      assertEquals(200, answer.statusCode());
      assertEquals(swapped[1], answer.headers().firstValue("Docker-Content-Digest").orElse(""));
      assertNotEquals(swapped[1], sha256(answer.body()));
    }
  }

  private static HttpResponse<byte[]> get(String hostPort, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
        .header("Accept", MANIFEST_TYPES).GET().build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(byte[] data) throws NoSuchAlgorithmException {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
