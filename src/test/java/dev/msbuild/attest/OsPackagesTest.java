package dev.msbuild.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OsPackagesTest {
  @Test
  void debianListsWhatIsInstalledOnly() {
    String status = String.join("\n",
        "Package: libc6", "Status: install ok installed", "Architecture: amd64", "Source: glibc", "Version: 2.36-9+deb12u10",
        "Description: GNU C Library", " continuation: not a field", "",
        "Package: old-tool", "Status: deinstall ok config-files", "Version: 1.0", "",
        "Package: tzdata", "Status: install ok installed", "Architecture: all", "Version: 2025b-0+deb12u1", "");
    OsPackages os = OsPackages.of(Map.of(OsPackages.DPKG_STATUS, status.getBytes(StandardCharsets.UTF_8),
        "/usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n".getBytes(StandardCharsets.UTF_8))).orElseThrow();
    assertEquals("deb", os.type());
    assertEquals(Optional.of("debian-12"), os.distro());
    assertEquals(List.of("libc6", "tzdata"), os.packages().stream().map(OsPackages.Package::name).toList());
    assertEquals(Optional.of("glibc"), os.packages().get(0).origin());
  }

  @Test
  void noDatabaseNoPackages() {
    assertEquals(Optional.empty(), OsPackages.of(Map.of("/etc/os-release", "ID=alpine\n".getBytes(StandardCharsets.UTF_8))));
  }
}
