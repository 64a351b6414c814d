package dev.msbuild.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a dynamically linked program needs from the image it runs in, looked for as its loader
 * would: the loader itself (the program's PT_INTERP) and each DT_NEEDED library in the
 * directories the loader searches. Shared by the Java runtime check and the artifact check.
 */
public final class DynamicLinking {
  private static final List<String> TRIPLETS = List.of(
      "x86_64-linux-gnu", "aarch64-linux-gnu", "arm-linux-gnueabihf", "arm-linux-gnueabi", "i386-linux-gnu",
      "powerpc64le-linux-gnu", "s390x-linux-gnu", "riscv64-linux-gnu");

  /** Where the loaders look by default: musl's /lib, /usr/local/lib, /usr/lib; glibc's, with Debian's multiarch directories. */
  public static final List<String> DEFAULT_DIRECTORIES = defaults();

  private static final Pattern MUSL_PATH = Pattern.compile("/etc/ld-musl-[^/]+\\.path");

  private DynamicLinking() {}

  private static List<String> defaults() {
    List<String> dirs = new ArrayList<>(List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib"));
    for (String triplet : TRIPLETS) {
      dirs.add("/lib/" + triplet);
      dirs.add("/usr/lib/" + triplet);
    }
    return List.copyOf(dirs);
  }

  /**
   * The loaders' own configuration, for {@link ImageFiles#read}'s {@code keep}: glibc's
   * /etc/ld.so.conf and /etc/ld.so.conf.d/*.conf, musl's /etc/ld-musl-ARCH.path.
   */
  public static boolean isLoaderConfig(String path) {
    return path.equals("/etc/ld.so.conf")
        || (path.startsWith("/etc/ld.so.conf.d/") && path.endsWith(".conf") && path.indexOf('/', 18) < 0)
        || MUSL_PATH.matcher(path).matches();
  }

  /**
   * The directories a loader searches in this image, in order: the program's own run path
   * ({@code $ORIGIN} replaced by its directory), {@code LD_LIBRARY_PATH}, the directories the
   * image's loader configuration lists (when {@link #isLoaderConfig} files were kept), the defaults.
   *
   * @param runPath the program's DT_RUNPATH or DT_RPATH entries, as written
   * @param origin the directory the program is in ({@code /app})
   * @param ldLibraryPath the image's {@code LD_LIBRARY_PATH}, or ""
   */
  public static List<String> searchPath(ImageFiles image, List<String> runPath, String origin, String ldLibraryPath) {
    Set<String> dirs = new LinkedHashSet<>();
    for (String dir : runPath) {
      dirs.add(dir.replace("${ORIGIN}", origin).replace("$ORIGIN", origin));
    }
    for (String dir : ldLibraryPath.split(":")) {
      dirs.add(dir);
    }
    List<String> config = new ArrayList<>();
    config.add("/etc/ld.so.conf");
    config.addAll(image.named("/etc/ld.so.conf.d", "").stream().filter(DynamicLinking::isLoaderConfig).toList());
    config.addAll(image.named("/etc", "ld-musl-").stream().filter(DynamicLinking::isLoaderConfig).toList());
    for (String file : config) {
      Optional<byte[]> content = image.content(file);
      if (content.isEmpty()) {
        continue;
      }
      for (String line : new String(content.get(), StandardCharsets.UTF_8).split("\n")) {
        String text = line.replaceFirst("#.*", "").trim();
        if (text.startsWith("include ") || text.startsWith("hwcap ")) {
          continue; // ld.so.conf.d's files are read above; hwcap lines name no directory
        }
        for (String dir : text.split("[\\s:,]+")) {
          dirs.add(dir);
        }
      }
    }
    dirs.addAll(DEFAULT_DIRECTORIES);
    dirs.removeIf(dir -> !dir.startsWith("/"));
    return List.copyOf(dirs);
  }

  /** The libraries of {@code needed} that none of {@code directories} has (a name with a slash is a path). */
  public static List<String> missingLibraries(ImageFiles image, List<String> needed, List<String> directories) {
    List<String> missing = new ArrayList<>();
    for (String library : needed) {
      boolean found = library.contains("/")
          ? image.resolve(library.startsWith("/") ? library : "/" + library).filter(k -> k == ImageFiles.Kind.FILE).isPresent()
          : directories.stream().anyMatch(dir -> image.resolve(dir + "/" + library).filter(k -> k == ImageFiles.Kind.FILE).isPresent());
      if (!found) {
        missing.add(library);
      }
    }
    return missing;
  }

  /** Whether the image has the loader as a file, symlinks followed. */
  public static boolean hasLoader(ImageFiles image, String interpreter) {
    return image.resolve(interpreter).filter(k -> k == ImageFiles.Kind.FILE).isPresent();
  }

  /** glibc or musl, from a loader's name. */
  public static String libcOf(String loader) {
    return loader.contains("ld-musl") ? "musl" : loader.contains("ld-linux") || loader.contains("ld64.so") ? "glibc" : "an unknown C library";
  }

  /** What C library an image has, from the loaders it holds: "has musl only (/lib/ld-musl-x86_64.so.1)". */
  public static String describe(ImageFiles image) {
    List<String> loaders = new ArrayList<>();
    loaders.addAll(image.named("/lib", "ld-musl-"));
    loaders.addAll(image.named("/lib", "ld-linux"));
    loaders.addAll(image.named("/lib64", "ld-linux"));
    loaders.addAll(image.named("/lib", "ld64.so"));
    loaders.addAll(image.named("/lib64", "ld64.so"));
    if (loaders.isEmpty()) {
      return "has no C library loader at all (scratch, or a static-only base)";
    }
    String kinds = loaders.stream().map(DynamicLinking::libcOf).distinct().reduce((a, b) -> a + " and " + b).orElse("");
    return "has " + kinds + " only (" + String.join(", ", loaders) + ")";
  }

  /** Bases with a C library, for messages. */
  public static String exampleBase(String libc) {
    return libc.equals("musl") ? "alpine:3.20" : "gcr.io/distroless/base-debian12 or debian:12-slim";
  }
}
