package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.ImageName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IsolationChoiceTest {
  private static final Optional<GoToolchain> GO =
      Optional.of(new GoToolchain(Path.of("/cache/rootfs/x/usr/local/go/bin/go"), Map.of("GOROOT", "/cache/rootfs/x/usr/local/go"),
          "builder image golang", "x"));
  private static final IsolationChoice.DirectCheck RUNS_HERE = t -> Optional.empty();

  private static BuilderSpec spec(BuilderSpec.Isolation isolation, Map<String, String> env) {
    return new BuilderSpec(ImageName.parse("golang:1.26-alpine", null), isolation, BuilderSpec.SandboxTool.AUTO,
        Optional.empty(), List.of(), ".", "app", List.of(), "-s -w", env, true, Duration.ofSeconds(60), List.of(),
        BuilderSpec.UnpackLimits.DEFAULT);
  }

  @Test
  void aPlainGoBuildRunsDirect() throws Exception {
    IsolationChoice choice = IsolationChoice.of(spec(BuilderSpec.Isolation.AUTO, Map.of()), GO, "/usr/local/go/bin", RUNS_HERE);
    assertTrue(choice.direct(), choice.why());
    assertTrue(IsolationChoice.of(spec(BuilderSpec.Isolation.AUTO, Map.of("CGO_ENABLED", "0")), GO, "", RUNS_HERE).direct());
  }

  @Test
  void cgoPicksTheSandboxAndSaysWhy() throws Exception {
    IsolationChoice choice = IsolationChoice.of(spec(BuilderSpec.Isolation.AUTO, Map.of("CGO_ENABLED", "1")), GO, "", RUNS_HERE);
    assertFalse(choice.direct());
    assertEquals("CGO_ENABLED=1 in <builder><env>: cgo compiles and links with the builder image's own C toolchain and libc, "
        + "not this machine's", choice.why());
    // go reads any value but 0 as "on where a C compiler is found".
    assertFalse(IsolationChoice.of(spec(BuilderSpec.Isolation.AUTO, Map.of("CGO_ENABLED", "yes")), GO, "", RUNS_HERE).direct());
    assertFalse(IsolationChoice.of(spec(BuilderSpec.Isolation.SANDBOX, Map.of("CGO_ENABLED", "1")), GO, "", RUNS_HERE).direct());
  }

  @Test
  void aToolchainThatCannotRunHereGoesToTheSandbox() throws Exception {
    IsolationChoice choice = IsolationChoice.of(spec(BuilderSpec.Isolation.AUTO, Map.of()), GO, "",
        t -> Optional.of("its go is dynamically linked and needs the image's own libraries"));
    assertFalse(choice.direct());
    assertEquals("its go is dynamically linked and needs the image's own libraries", choice.why());
  }
}
