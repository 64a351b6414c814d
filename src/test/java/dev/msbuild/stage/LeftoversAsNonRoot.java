package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a separate JVM as an unprivileged user by {@link LeftoversAsNonRootTest} (as root, file
 * modes do not stop anything): what a sandboxed build leaves under target/ as non-root, an
 * overlayfs work directory of mode 000, must neither break the next build's input hashing nor
 * its cleanup; a cleanup that fails must not replace the build's own error; a directory of the
 * source that cannot be read fails naming it. Prints one {@code OK} line per check; any failure
 * is an exception (non-zero exit).
 */
public final class LeftoversAsNonRoot {
  private LeftoversAsNonRoot() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    List<String> warnings = new ArrayList<>();
    BuildLog log = new BuildLog() {
      @Override public void info(String message) {}
      @Override public void warn(String message) { warnings.add(message); }
      @Override public void debug(String message) {}
    };
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("main.go"), "package main\n\nfunc main() {}\n");
    BuildPlan plan = BuildInputsTest.plan(project, List.of(), Platform.LINUX_AMD64, project.resolve("target/msbuild"));
    String before = BuildInputs.of(plan, "image sha256:a").key();

    // What the unshare sandbox leaves as non-root: upper/, work/ and work/work of mode 000.
    Path scratch = Files.createDirectories(project.resolve("target/msbuild/.tmp-1-2-00000000-sandbox"));
    Files.createDirectories(scratch.resolve("upper/tmp"));
    Path workWork = Files.createDirectories(scratch.resolve("work/work/index"));
    Files.writeString(workWork.resolve("entry"), "x");
    Files.setPosixFilePermissions(workWork, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(scratch.resolve("work/work"), PosixFilePermissions.fromString("---------"));
    Path stray = Files.createDirectories(project.resolve("target/classes-of-another-plugin"));
    Files.setPosixFilePermissions(stray, PosixFilePermissions.fromString("---------"));
    if (Files.isReadable(scratch.resolve("work/work"))) {
      throw new AssertionError("running as a user who can read a directory of mode 000: not the case under test");
    }
    String after = BuildInputs.of(plan, "image sha256:a").key();
    check(before.equals(after), "unreadable leftovers under target/ leave the input hash as it was: " + before + " vs " + after);
    System.out.println("OK hashing skips target/");

    IllegalStateException buildError = new IllegalStateException("go: go.mod file not found in current directory");
    Cleanup.remove(log, buildError, scratch);
    check(Files.notExists(scratch), "the mode-000 work directory was removed");
    check(buildError.getSuppressed().length == 0 && warnings.isEmpty(), "a cleanup that worked says nothing");
    System.out.println("OK cleanup removes overlay work dirs");

    // A cleanup that cannot work: the file's directory is not writable.
    Path locked = Files.createDirectories(project.resolve("target/msbuild/locked"));
    Path file = Files.writeString(locked.resolve("part"), "x");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    Cleanup.remove(log, buildError, file);
    check(buildError.getMessage().equals("go: go.mod file not found in current directory"), "the build's error is kept as it was");
    check(buildError.getSuppressed().length == 1 && buildError.getSuppressed()[0].getMessage().contains(file.toString()),
        "the cleanup's failure is attached to it, naming the path: " + List.of(buildError.getSuppressed()));
    check(warnings.size() == 1 && warnings.get(0).contains(file.toString()) && warnings.get(0).contains("the next build removes it"),
        "and logged as a warning: " + warnings);
    Cleanup.remove(log, null, file);
    check(Files.exists(file) && warnings.size() == 2, "after a build that worked, a failed cleanup is only a warning");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    System.out.println("OK cleanup never replaces the build's error");

    Path unreadable = Files.createDirectories(project.resolve("internal/private"));
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    try {
      BuildInputs.of(plan, "image sha256:a");
      throw new AssertionError("an unreadable directory of the source was hashed");
    } catch (MsbuildException e) {
      check(e.getMessage().contains(unreadable.toString()) && e.setting().orElseThrow() == Setting.SOURCE_DIRECTORY
          && e.fix().contains("readable"), "the error names the directory, " + Setting.SOURCE_DIRECTORY + " and a fix: " + e.getMessage());
    } finally {
      Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(stray, PosixFilePermissions.fromString("rwx------"));
    }
    System.out.println("OK an unreadable source directory is named");
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
