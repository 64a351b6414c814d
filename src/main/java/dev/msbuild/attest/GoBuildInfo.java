package dev.msbuild.attest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Go program says of how it was built, read from its own bytes as {@code go version -m}
 * does: the Go version, the main module, every module compiled in (with the replacements
 * {@code go.mod} made) and the build settings. Programs from Go 1.18 on carry it.
 *
 * @param goVersion {@code go1.26.8}
 * @param path the main package's import path
 * @param main the main module; its version is {@code (devel)} for a build from a checkout
 * @param dependencies every other module compiled in, in the program's order
 * @param settings {@code -ldflags}, {@code GOOS}, {@code vcs.revision}, ...
 */
public record GoBuildInfo(String goVersion, String path, Module main, List<Module> dependencies, Map<String, String> settings) {
  /** Every build info blob starts with these 14 bytes. */
  private static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  private static final int HEADER = 32;
  private static final int FLAG_INLINE_STRINGS = 2;

  public GoBuildInfo {
    dependencies = List.copyOf(dependencies);
    settings = Map.copyOf(settings);
  }

  /**
   * A module as the program records it.
   *
   * @param sum the {@code h1:} hash of its content as go.sum has it; empty for the main module
   * @param replacement what go.mod replaced it with, if anything
   */
  public record Module(String path, String version, Optional<String> sum, Optional<Module> replacement) {
    /** The module whose code was compiled in: the replacement when there is one. */
    public Module effective() {
      return replacement.orElse(this);
    }
  }

  /**
   * The main module's version: a build from a checkout records {@code (devel)}, and then the
   * commit it was built from gives the pseudo-version Go would (as syft reports it too).
   */
  public String mainVersion() {
    String revision = settings.getOrDefault("vcs.revision", "");
    String time = settings.getOrDefault("vcs.time", "");
    if (!main.version().equals("(devel)") || revision.length() < 12 || time.isEmpty()) {
      return main.version();
    }
    try {
      String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(java.time.ZoneOffset.UTC)
          .format(java.time.Instant.parse(time));
      return "v0.0.0-" + stamp + "-" + revision.substring(0, 12);
    } catch (java.time.format.DateTimeParseException e) {
      return main.version();
    }
  }

  /** The build info in a program's bytes; empty for a program without (Go before 1.18, not Go). */
  public static Optional<GoBuildInfo> parse(byte[] bytes) {
    for (int at = indexOf(bytes, 0); at >= 0; at = indexOf(bytes, at + 1)) {
      if (at + HEADER > bytes.length || (bytes[at + 15] & FLAG_INLINE_STRINGS) == 0) {
        continue;
      }
      int[] pos = {at + HEADER};
      Optional<String> version = string(bytes, pos);
      Optional<String> modinfo = string(bytes, pos);
      if (version.isPresent() && modinfo.isPresent() && version.get().startsWith("go")) {
        return Optional.of(fromModinfo(version.get(), strip(modinfo.get())));
      }
    }
    return Optional.empty();
  }

  /** The module text sits between two 16-byte sentinels. */
  private static String strip(String modinfo) {
    if (modinfo.length() >= 33 && modinfo.charAt(modinfo.length() - 17) == '\n') {
      return modinfo.substring(16, modinfo.length() - 16);
    }
    return modinfo;
  }

  static GoBuildInfo fromModinfo(String goVersion, String modinfo) {
    String path = "";
    Module main = null;
    List<Module> deps = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : modinfo.split("\n")) {
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "path" -> path = f.length > 1 ? f[1] : "";
        case "mod" -> main = module(f);
        case "dep" -> deps.add(module(f));
        case "=>" -> {
          // Replaces the module on the line before it.
          Module replacement = module(f);
          if (!deps.isEmpty()) {
            Module last = deps.remove(deps.size() - 1);
            deps.add(new Module(last.path(), last.version(), last.sum(), Optional.of(replacement)));
          } else if (main != null) {
            main = new Module(main.path(), main.version(), main.sum(), Optional.of(replacement));
          }
        }
        case "build" -> {
          String setting = f.length > 1 ? f[1] : "";
          int eq = setting.indexOf('=');
          if (eq > 0) {
            settings.put(setting.substring(0, eq), setting.substring(eq + 1));
          }
        }
        default -> { }
      }
    }
    if (main == null) {
      main = new Module(path, "(devel)", Optional.empty(), Optional.empty());
    }
    return new GoBuildInfo(goVersion, path, main, deps, settings);
  }

  private static Module module(String[] f) {
    String path = f.length > 1 ? f[1] : "";
    String version = f.length > 2 ? f[2] : "";
    Optional<String> sum = f.length > 3 && !f[3].isEmpty() ? Optional.of(f[3]) : Optional.empty();
    return new Module(path, version, sum, Optional.empty());
  }

  /** A uvarint-length-prefixed string at {@code pos[0]}, which moves past it. */
  private static Optional<String> string(byte[] b, int[] pos) {
    long length = 0;
    int shift = 0;
    int i = pos[0];
    while (true) {
      if (i >= b.length || shift > 35) {
        return Optional.empty();
      }
      int c = b[i++] & 0xff;
      length |= (long) (c & 0x7f) << shift;
      if (c < 0x80) {
        break;
      }
      shift += 7;
    }
    if (length > b.length - i) {
      return Optional.empty();
    }
    pos[0] = i + (int) length;
    return Optional.of(new String(b, i, (int) length, StandardCharsets.UTF_8));
  }

  private static int indexOf(byte[] bytes, int from) {
    outer:
    for (int i = Math.max(0, from); i <= bytes.length - MAGIC.length; i++) {
      for (int j = 0; j < MAGIC.length; j++) {
        if (bytes[i + j] != MAGIC[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
