package dev.msbuild.attest;

import dev.msbuild.image.ImageContents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The packages a base image's package manager says are installed: Alpine's
 * {@code /lib/apk/db/installed} or Debian's {@code /var/lib/dpkg/status}, with the distribution
 * from {@code /etc/os-release}.
 *
 * @param distro {@code alpine-3.20.3}, {@code debian-12}; empty when the image does not say
 */
public record OsPackages(String type, String namespace, Optional<String> distro, List<Package> packages) {
  public static final String APK_DB = ImageContents.APK_DB;
  public static final String DPKG_STATUS = ImageContents.DPKG_STATUS;
  public static final List<String> OS_RELEASE = ImageContents.OS_RELEASE;

  public OsPackages {
    packages = packages.stream().sorted(Comparator.comparing(Package::name).thenComparing(Package::version)).toList();
  }

  /**
   * One installed package.
   *
   * @param license as the package database gives it, empty when it does not
   * @param origin the source package it was built from
   */
  public record Package(String name, String version, String architecture, Optional<String> license, Optional<String> origin) {}

  /** What the files say, from their contents by path; empty when the image has no package database. */
  public static Optional<OsPackages> of(Map<String, byte[]> files) {
    Map<String, String> release = new HashMap<>();
    OS_RELEASE.stream().map(files::get).filter(b -> b != null).findFirst().ifPresent(b -> release.putAll(osRelease(text(b))));
    String id = release.getOrDefault("ID", "");
    String version = release.getOrDefault("VERSION_ID", "");
    Optional<String> distro = id.isEmpty() ? Optional.empty() : Optional.of(version.isEmpty() ? id : id + "-" + version);
    if (files.containsKey(APK_DB)) {
      return Optional.of(new OsPackages("apk", id.isEmpty() ? "alpine" : id, distro, apk(text(files.get(APK_DB)))));
    }
    if (files.containsKey(DPKG_STATUS)) {
      return Optional.of(new OsPackages("deb", id.isEmpty() ? "debian" : id, distro, dpkg(text(files.get(DPKG_STATUS)))));
    }
    return Optional.empty();
  }

  static List<Package> apk(String db) {
    List<Package> result = new ArrayList<>();
    for (Map<String, String> p : paragraphs(db, ':', false)) {
      if (p.containsKey("P") && p.containsKey("V")) {
        result.add(new Package(p.get("P"), p.get("V"), p.getOrDefault("A", ""), Optional.ofNullable(p.get("L")),
            Optional.ofNullable(p.get("o"))));
      }
    }
    return result;
  }

  static List<Package> dpkg(String status) {
    List<Package> result = new ArrayList<>();
    for (Map<String, String> p : paragraphs(status, ':', true)) {
      // Only what is installed: dpkg keeps removed packages' records ("deinstall ok config-files").
      if (p.containsKey("Package") && p.containsKey("Version") && p.getOrDefault("Status", "").endsWith(" installed")) {
        String source = p.getOrDefault("Source", "").split(" ", 2)[0];
        result.add(new Package(p.get("Package"), p.get("Version"), p.getOrDefault("Architecture", ""), Optional.empty(),
            source.isEmpty() ? Optional.empty() : Optional.of(source)));
      }
    }
    return result;
  }

  /** Blank-line separated records of {@code key:value} lines; Debian's continuation lines are skipped. */
  private static List<Map<String, String>> paragraphs(String text, char separator, boolean trimValue) {
    List<Map<String, String>> result = new ArrayList<>();
    Map<String, String> current = new HashMap<>();
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          result.add(current);
          current = new HashMap<>();
        }
        continue;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        continue;
      }
      int at = line.indexOf(separator);
      if (at > 0) {
        String value = line.substring(at + 1);
        current.putIfAbsent(line.substring(0, at), trimValue ? value.trim() : value);
      }
    }
    if (!current.isEmpty()) {
      result.add(current);
    }
    return result;
  }

  static Map<String, String> osRelease(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        String value = line.substring(eq + 1).trim();
        if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'")) && value.endsWith(value.substring(0, 1))) {
          value = value.substring(1, value.length() - 1);
        }
        values.put(line.substring(0, eq).trim(), value);
      }
    }
    return values;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
