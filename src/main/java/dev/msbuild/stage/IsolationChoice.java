package dev.msbuild.stage;

import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a build from a builder image runs, direct or in a sandbox, and why (for the log); decided
 * once per build from the settings and the image's toolchain.
 *
 * @param direct the image's go runs on this machine; otherwise the build runs in a sandbox
 * @param why what decided it
 */
record IsolationChoice(boolean direct, String why) {
  /** Why a toolchain cannot run on this machine, if it cannot. */
  @FunctionalInterface
  interface DirectCheck {
    Optional<String> refusal(GoToolchain toolchain) throws IOException;
  }

  /** The real check: a statically linked go whose tree keeps its symlinks inside GOROOT. */
  static final DirectCheck ON_THIS_MACHINE = toolchain -> Elf.isStatic(toolchain.go())
      ? ImageToolchain.unsafeForDirect(toolchain)
      : Optional.of("its go is dynamically linked and needs the image's own libraries");

  /**
   * @param toolchain the image's go, if it has one on its PATH
   * @param imagePath the image's PATH, for the error when it has none
   */
  static IsolationChoice of(BuilderSpec spec, Optional<GoToolchain> toolchain, String imagePath, DirectCheck check)
      throws IOException {
    if (spec.command().isPresent()) {
      return new IsolationChoice(false, "a " + Setting.BUILDER_COMMAND.xml() + " runs in the builder image's own userland");
    }
    if (spec.isolation() == BuilderSpec.Isolation.SANDBOX) {
      return new IsolationChoice(false, Setting.BUILDER_ISOLATION.xml() + " is sandbox");
    }
    boolean forced = spec.isolation() == BuilderSpec.Isolation.DIRECT;
    if (spec.cgoEnabled() && !forced) {
      // Direct, cgo would compile and link with this machine's C compiler and libc (glibc, say),
      // and the binary would not start on alpine or scratch. The plan refuses direct with cgo.
      return new IsolationChoice(false, "CGO_ENABLED=" + spec.env().get("CGO_ENABLED") + " in " + Setting.BUILDER_ENV.xml()
          + ": cgo compiles and links with the builder image's own C toolchain and libc, not this machine's");
    }
    if (toolchain.isEmpty()) {
      throw new MsbuildException(
          "Builder image " + spec.image() + " has no go command on its PATH (" + imagePath + ").",
          Setting.BUILDER_IMAGE,
          "use a golang image (for example golang:1.26-alpine), or set " + Setting.BUILDER_COMMAND
              + " to the build this image can run.");
    }
    Optional<String> refusal = check.refusal(toolchain.get());
    if (refusal.isPresent()) {
      if (forced) {
        throw new MsbuildException(
            "Builder image " + spec.image() + " cannot run directly on this machine: " + refusal.get() + ".",
            Setting.BUILDER_ISOLATION,
            "set " + Setting.BUILDER_ISOLATION + " to sandbox or auto.");
      }
      return new IsolationChoice(false, refusal.get());
    }
    return new IsolationChoice(true, forced
        ? Setting.BUILDER_ISOLATION.xml() + " is direct"
        : "a plain Go build; the image's statically linked go runs on this " + Platform.host() + " machine");
  }
}
