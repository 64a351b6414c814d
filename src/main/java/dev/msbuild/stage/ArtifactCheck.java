package dev.msbuild.stage;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.image.DynamicLinking;
import dev.msbuild.image.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The builder stage's artifacts, checked before they become a layer. The entrypoint must be a
 * program: not the archive go build writes for a package that is not {@code main}, not data. Every
 * ELF program must be for the target platform's machine, and when it is dynamically linked the
 * final image must have its loader and libraries, as a {@code #!} script needs its interpreter.
 * Without this such an image is pushed as a success and fails only when the container starts.
 */
public final class ArtifactCheck {
  /** What an artifact is, from its first bytes. */
  private enum Kind { ELF, SCRIPT, ARCHIVE, OTHER }

  /** One artifact as read: its kind, its ELF facts or its script's interpreter, and what its first bytes say. */
  private record Inspected(Artifact artifact, String imagePath, boolean entrypoint, Kind kind, Optional<Elf.Info> elf,
      Optional<String> interpreter, String looksLike) {
    /** The directory the artifact is in, which is $ORIGIN for the loader. */
    String imageDirectory() {
      String parent = imagePath.substring(0, imagePath.lastIndexOf('/'));
      return parent.isEmpty() ? "/" : parent;
    }
  }

  private final BuildPlan plan;
  private final Setting platformSetting;
  private final List<Inspected> artifacts;

  private ArtifactCheck(BuildPlan plan, Setting platformSetting, List<Inspected> artifacts) {
    this.plan = plan;
    this.platformSetting = platformSetting;
    this.artifacts = artifacts;
  }

  /**
   * Reads each artifact's header, and refuses a Go package archive, an entrypoint that is not a
   * program, and a program for another machine than the platform's, naming the setting that made it.
   *
   * @param entrypoint the path the container starts: the configured entrypoint's first word, or the first artifact's
   * @param platformSetting {@code <platforms>} when several are built, else {@code <platform>}
   */
  public static ArtifactCheck inspect(BuildPlan plan, List<Artifact> artifacts, String entrypoint, Setting platformSetting) {
    List<Inspected> inspected = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      String path = plan.finalStage().artifactPath(artifact.name());
      inspected.add(read(artifact, path, entrypoint.equals(path)));
    }
    ArtifactCheck check = new ArtifactCheck(plan, platformSetting, List.copyOf(inspected));
    inspected.forEach(check::refuseByHeader);
    return check;
  }

  private static Inspected read(Artifact artifact, String path, boolean entrypoint) {
    try {
      byte[] head;
      try (InputStream in = Files.newInputStream(artifact.file())) {
        head = in.readNBytes(256); // what the kernel reads of a #! line
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      if (text.startsWith("\u007fELF")) {
        Optional<Elf.Info> elf = elf(artifact);
        return elf.isPresent()
            ? new Inspected(artifact, path, entrypoint, Kind.ELF, elf, Optional.empty(), "ELF")
            : new Inspected(artifact, path, entrypoint, Kind.OTHER, Optional.empty(), Optional.empty(), "a truncated or malformed ELF file");
      }
      if (text.startsWith("#!")) {
        String line = text.substring(2).split("\n", 2)[0].trim();
        String interpreter = line.isEmpty() ? "" : line.split("[ \t]+", 2)[0];
        return new Inspected(artifact, path, entrypoint, Kind.SCRIPT, Optional.empty(), Optional.of(interpreter), "#!" + line);
      }
      if (text.startsWith("!<arch>\n")) {
        return new Inspected(artifact, path, entrypoint, Kind.ARCHIVE, Optional.empty(), Optional.empty(), "an ar archive (!<arch>)");
      }
      return new Inspected(artifact, path, entrypoint, Kind.OTHER, Optional.empty(), Optional.empty(), looksLike(head));
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not read the artifact " + artifact.file() + " to check it: " + e.getMessage(),
          null,
          "check that target/ is readable; run the build again.",
          e);
    }
  }

  private static Optional<Elf.Info> elf(Artifact artifact) throws IOException {
    try {
      return Elf.read(artifact.file());
    } catch (java.io.EOFException e) {
      return Optional.empty(); // headers that point past the end of the file
    }
  }

  /** What a file that is neither ELF nor a script is, from its magic bytes. */
  private static String looksLike(byte[] head) {
    if (head.length == 0) {
      return "an empty file";
    }
    if (head.length >= 2 && head[0] == 'M' && head[1] == 'Z') {
      return "a Windows (PE) program";
    }
    int magic = head.length >= 4 ? ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff) : 0;
    if (magic == 0xcffaedfe || magic == 0xcefaedfe || magic == 0xfeedfacf || magic == 0xfeedface || magic == 0xcafebabe) {
      return magic == 0xcafebabe ? "a Mach-O universal program or a Java class file" : "a macOS (Mach-O) program";
    }
    if (magic == 0x0061736d) {
      return "a WebAssembly module";
    }
    if (magic == 0x504b0304) {
      return "a zip or jar file";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(4, head.length); i++) {
      hex.append(String.format("%02x ", head[i] & 0xff));
    }
    return "data (it starts with the bytes " + hex.toString().trim() + ")";
  }

  private boolean goBuild() {
    return plan.builder().command().isEmpty();
  }

  private void refuseByHeader(Inspected a) {
    BuilderSpec spec = plan.builder();
    if (a.kind() == Kind.ARCHIVE && goBuild()) {
      boolean buildmode = spec.flags().stream().anyMatch(f -> f.startsWith("-buildmode"));
      if (buildmode) {
        throw new MsbuildException(
            "go build wrote an archive (!<arch>) for " + String.join(" ", spec.flags()) + ", not a program: the image's "
                + a.imagePath() + " could not be started.",
            Setting.BUILDER_FLAGS,
            "drop -buildmode from " + Setting.BUILDER_FLAGS + ": an image runs a program (the default build mode, exe).");
      }
      throw new MsbuildException(
          "The main package " + spec.mainPackage() + " is not a `package main`: go build wrote a Go package archive "
              + "(" + size(a) + " bytes starting with !<arch>) to " + a.artifact().file() + ", not a program. As "
              + a.imagePath() + " in the image it could not be started (exec format error).",
          Setting.BUILDER_MAIN_PACKAGE,
          "point " + Setting.BUILDER_MAIN_PACKAGE + " at the directory whose Go files say `package main` and have a func main "
              + "(for example ./cmd/app).");
    }
    if (a.entrypoint() && (a.kind() == Kind.ARCHIVE || a.kind() == Kind.OTHER
        || (a.kind() == Kind.ELF && a.elf().isPresent() && !a.elf().get().isProgram()))) {
      String what = a.kind() == Kind.ELF ? "an ELF " + a.elf().get().typeName() : a.looksLike();
      throw notAProgram(a, what);
    }
    if (a.elf().isPresent()) {
      refuseOtherMachine(a, a.elf().get());
    }
  }

  private MsbuildException notAProgram(Inspected a, String what) {
    String problem = "The artifact " + a.artifact().name() + " (" + a.imagePath() + ", the container's entrypoint) is " + what
        + ", not a Linux program (ELF) or a #! script: the container could not start it (exec format error).";
    if (!goBuild()) {
      return new MsbuildException(problem, Setting.BUILDER_OUTPUTS,
          "make " + Setting.BUILDER_COMMAND.xml() + " write a program for " + plan.platform() + " to that output, or list the "
              + "program first in " + Setting.BUILDER_OUTPUTS + " (the first output is the entrypoint), or set "
              + Setting.CONTAINER_ENTRYPOINT.xml() + " to the program.");
    }
    if (!plan.platform().os().equals("linux")) {
      return new MsbuildException(problem, platformSetting,
          "build for linux (" + platformSetting.xml() + " linux/" + plan.platform().architecture() + "): images run Linux programs.");
    }
    Setting setting = plan.builder().env().containsKey("GOOS") ? Setting.BUILDER_ENV : Setting.BUILDER_FLAGS;
    return new MsbuildException(problem, setting,
        "remove what makes go build write something other than a Linux program from " + setting + " (GOOS comes from "
            + platformSetting.xml() + ").");
  }

  private void refuseOtherMachine(Inspected a, Elf.Info elf) {
    String target = plan.platform().architecture();
    Optional<String> arch = elf.architecture();
    if (!KNOWN.contains(target) || arch.equals(Optional.of(target))) {
      return; // a platform this check does not know is left alone
    }
    boolean goarch = goBuild() && plan.builder().env().containsKey("GOARCH");
    String made = goarch
        ? " " + Setting.BUILDER_ENV.xml() + " sets GOARCH=" + plan.builder().env().get("GOARCH") + ", which overrides the platform's."
        : goBuild() ? "" : " A " + Setting.BUILDER_COMMAND.xml() + " gets no GOOS or GOARCH from the platform: it builds what it says.";
    String how = goarch ? " (remove GOARCH from " + Setting.BUILDER_ENV.xml() + ")"
        : goBuild() ? "" : " (for Go: GOOS=linux GOARCH=" + target + " in the command or in " + Setting.BUILDER_ENV.xml() + ")";
    String machine = arch.map(x -> x + " (" + elf.machineName() + ")").orElse(elf.machineName());
    throw new MsbuildException(
        "The artifact " + a.artifact().name() + " is an ELF program for " + machine + ", but the image is for " + plan.platform()
            + ": the container would fail to start (exec format error)." + made,
        platformSetting,
        "build it for " + plan.platform() + how
            + arch.map(x -> ", or set " + platformSetting + " to linux/" + x + " if that is the platform you want").orElse("") + ".");
  }

  /** The platforms whose ELF machine this check knows. */
  private static final List<String> KNOWN = List.of(
      "amd64", "386", "arm64", "arm", "ppc64le", "ppc64", "s390x", "riscv64", "mips", "mipsle", "mips64", "mips64le", "loong64");

  /** Whether checking needs the final image's files: a dynamically linked program or a script. */
  public boolean needsImageFiles() {
    return artifacts.stream().anyMatch(a -> a.kind() == Kind.SCRIPT || a.elf().filter(e -> !e.isStatic()).isPresent());
  }

  /**
   * Checks loaders, libraries and script interpreters against the final image, and says what was
   * checked, one line per artifact, for the log.
   *
   * @param image the final image's files: the base's, with this build's layers on top
   * @param baseName the base as configured, or "scratch"
   * @param environment the final image's environment, for {@code LD_LIBRARY_PATH}
   */
  public List<String> against(ImageFiles image, String baseName, Map<String, String> environment) {
    List<String> lines = new ArrayList<>();
    for (Inspected a : artifacts) {
      lines.add("Artifact check: " + a.artifact().name() + " " + check(a, image, baseName, environment));
    }
    return lines;
  }

  /** The log lines when no image is built ({@code msbuild:build}): what each artifact is; nothing is checked against a base. */
  public List<String> withoutImage() {
    List<String> lines = new ArrayList<>();
    for (Inspected a : artifacts) {
      String line = a.elf().map(e -> "is " + describe(e)).orElse(a.kind() == Kind.SCRIPT ? "is a script (" + a.looksLike() + ")"
          : "is " + a.looksLike());
      boolean needsBase = a.kind() == Kind.SCRIPT || a.elf().filter(e -> !e.isStatic()).isPresent();
      lines.add("Artifact check: " + a.artifact().name() + " " + line
          + (needsBase ? "; what it needs from a base is checked when an image is built" : ""));
    }
    return lines;
  }

  private String check(Inspected a, ImageFiles image, String baseName, Map<String, String> environment) {
    if (a.kind() == Kind.SCRIPT) {
      String interpreter = a.interpreter().orElse("");
      if (!interpreter.startsWith("/") || image.resolve(interpreter).filter(k -> k == ImageFiles.Kind.FILE).isEmpty()) {
        throw new MsbuildException(
            "The artifact " + a.artifact().name() + " is a script for " + (interpreter.isEmpty() ? "no interpreter" : interpreter)
                + " (" + a.looksLike() + "), which the image does not have" + (interpreter.startsWith("/") || interpreter.isEmpty()
                    ? "" : " (a #! line needs an absolute path)") + ": the base " + baseName + " "
                + (baseName.equals("scratch") ? "has no files at all" : "has no file at that path") + ". The container would "
                + "fail to start (no such file or directory).",
            Setting.FROM_IMAGE,
            "use a base that has " + (interpreter.startsWith("/") ? interpreter : "the interpreter") + " (alpine:3.20 has /bin/sh), "
                + "copy it in with " + Setting.COPIES + ", or build a program instead of a script.");
      }
      return "is a #! script; the image has its interpreter " + interpreter;
    }
    if (a.elf().isEmpty()) {
      return "is " + a.looksLike() + "; it is not the entrypoint, so it need not be a program";
    }
    Elf.Info elf = a.elf().get();
    if (elf.isStatic()) {
      return "is " + describe(elf);
    }
    Optional<String> loader = elf.interpreter();
    String libc = loader.map(DynamicLinking::libcOf).orElse("its C library");
    if (loader.isPresent() && !DynamicLinking.hasLoader(image, loader.get())) {
      throw new MsbuildException(
          "The artifact " + a.artifact().name() + " is dynamically linked against " + libc + " (its loader is " + loader.get()
              + "), " + builtBy() + "but the base " + baseName + " " + DynamicLinking.describe(image) + ", and nothing this build "
              + "adds provides it. The container would fail to start (\"no such file or directory\", of the program, not the loader).",
          Setting.FROM_IMAGE,
          loaderFix(libc));
    }
    List<String> search = DynamicLinking.searchPath(image, elf.runPath(), a.imageDirectory(), environment.getOrDefault("LD_LIBRARY_PATH", ""));
    List<String> missing = DynamicLinking.missingLibraries(image, elf.needed(), search);
    if (!missing.isEmpty()) {
      throw new MsbuildException(
          "The artifact " + a.artifact().name() + " needs " + String.join(", ", missing) + ", which the image (the base " + baseName
              + " and what this build adds) does not have where " + (loader.isPresent() ? "the loader " + loader.get() : "a loader")
              + " looks: " + String.join(", ", search.subList(0, Math.min(search.size(), 6))) + (search.size() > 6 ? ", ..." : "")
              + ". The container would fail to start.",
          Setting.FROM_IMAGE,
          "use a base that has " + (missing.size() == 1 ? "it" : "them") + ", copy " + (missing.size() == 1 ? "it" : "them")
              + " in with " + Setting.COPIES + ", or link the program statically (for Go without C code: CGO_ENABLED=0 in "
              + Setting.BUILDER_ENV.xml() + ", the default).");
    }
    return "is " + describe(elf) + "; the image has its loader " + loader.orElse("(none)")
        + (elf.needed().isEmpty() ? "" : " and " + String.join(", ", elf.needed()));
  }

  private static String describe(Elf.Info elf) {
    String linking = elf.isStatic() ? "static" : "dynamically linked";
    String libc = elf.interpreter().map(DynamicLinking::libcOf).map(l -> " (" + l + ")").orElse("");
    return "a " + linking + " ELF " + elf.machineName() + " " + elf.typeName() + (elf.isStatic() ? "" : libc);
  }

  /** How the program came to be dynamically linked, when the settings tell. */
  private String builtBy() {
    BuilderSpec spec = plan.builder();
    if (!goBuild()) {
      return "as " + Setting.BUILDER_COMMAND.xml() + " built it, ";
    }
    String cgo = "1".equals(spec.env().get("CGO_ENABLED")) ? " with CGO_ENABLED=1 from " + Setting.BUILDER_ENV.xml() : "";
    String where = switch (spec.isolation()) {
      case HOST -> "by this machine's go and C toolchain (" + Setting.BUILDER_ISOLATION.xml() + " host)";
      case SANDBOX -> "in the builder image " + spec.image() + "'s sandbox";
      default -> "by the builder image " + spec.image() + "'s go";
    };
    return "built " + where + cgo + ", ";
  }

  private String loaderFix(String libc) {
    String statik = "build it static: CGO_ENABLED=0 in " + Setting.BUILDER_ENV + " (the default) when it needs no C code";
    String sandbox = "build it inside the builder image (" + Setting.BUILDER_ISOLATION.xml() + " sandbox) so that it links "
        + "that image's C library, with a builder image whose C library is the base's (golang:1.26-alpine for alpine, musl)";
    return switch (libc) {
      case "glibc" -> statik + "; or " + sandbox + "; or use a base with glibc, such as " + DynamicLinking.exampleBase("glibc") + ".";
      case "musl" -> statik + "; or use a base with musl, such as alpine:3.20; or, for a glibc base, a glibc builder image "
          + "(golang:1.26) in " + Setting.BUILDER_IMAGE + ".";
      default -> statik + "; or use a base with the loader it names.";
    };
  }

  private static long size(Inspected a) {
    try {
      return Files.size(a.artifact().file());
    } catch (IOException e) {
      return -1;
    }
  }
}
