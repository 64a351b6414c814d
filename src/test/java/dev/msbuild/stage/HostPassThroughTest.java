package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPassThroughTest {
  @TempDir Path dir;

  @Test
  void theSandboxGetsTheProxyGoAndCaSettingsWithTheCaMounted() throws IOException {
    Path bundle = Files.writeString(dir.resolve("corp-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Map<String, String> host = Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "localhost", "GOPROXY", "https://goproxy.corp",
        "GOPRIVATE", "corp.example/*", "GONOSUMDB", "corp.example", "GOFLAGS", "-mod=mod", "SSL_CERT_FILE", bundle.toString(),
        "SSL_CERT_DIR", "/nonexistent:" + certs, "TMPDIR", "/var/tmp", "AWS_SECRET_ACCESS_KEY", "no");
    HostPassThrough sandbox = HostPassThrough.sandbox(host);
    assertEquals(Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "localhost", "GOPROXY", "https://goproxy.corp",
        "GOPRIVATE", "corp.example/*", "GONOSUMDB", "corp.example", "GOFLAGS", "-mod=mod",
        "SSL_CERT_FILE", HostPassThrough.CA_FILE, "SSL_CERT_DIR", HostPassThrough.CA_DIR), sandbox.env());
    assertEquals(Optional.of(bundle), sandbox.caFile());
    assertEquals(Optional.of(certs), sandbox.caDir());
    // Directly, the values as they are.
    Map<String, String> direct = HostPassThrough.direct(host);
    assertEquals(bundle.toString(), direct.get("SSL_CERT_FILE"));
    assertEquals("/var/tmp", direct.get("TMPDIR"));
    assertFalse(direct.containsKey("AWS_SECRET_ACCESS_KEY"));
  }

  @Test
  void aCaPathThatDoesNotExistIsNotMounted() {
    HostPassThrough sandbox = HostPassThrough.sandbox(Map.of("SSL_CERT_FILE", dir.resolve("missing.pem").toString()));
    assertEquals(Optional.empty(), sandbox.caFile());
    assertFalse(sandbox.env().containsKey("SSL_CERT_FILE"));
  }

  @Test
  void bothSandboxesMountTheCaReadOnly() throws IOException {
    Path bundle = Files.writeString(dir.resolve("ca.pem"), "x");
    SandboxSpec spec = new SandboxSpec(dir.resolve("root"), dir.resolve("scratch"), dir.resolve("src"), dir.resolve("out"),
        dir.resolve("cache"), Optional.empty(), Optional.of(bundle), Optional.of(dir), Map.of(), "/root", true,
        java.util.List.of("true"));
    java.util.List<String> bwrap = new Bubblewrap(Path.of("/usr/bin/bwrap")).command(spec);
    int at = bwrap.indexOf(bundle.toString());
    assertEquals(java.util.List.of("--ro-bind", bundle.toString(), HostPassThrough.CA_FILE), bwrap.subList(at - 1, at + 2));
    java.util.List<String> unshare = new UnshareChroot(Path.of("/usr/bin/unshare"), true).command(spec);
    assertEquals(bundle.toString(), unshare.get(unshare.size() - 3));
    assertEquals(dir.toString(), unshare.get(unshare.size() - 2));
  }
}
