package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.rootfs.LayerUnpacker;
import dev.msbuild.rootfs.RootfsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandboxes die with the JVM too: a child JVM runs a build in bubblewrap or unshare over the
 * real golang:1.26-alpine root from the test bed's registry; after kill -9 of that JVM, every
 * process it had started, the sandbox's and the build's, is gone within a few seconds.
 */
class SandboxDiesWithJvmIT {
  private static Path root;
  private static Path work;

  @BeforeAll
  static void builderImage() throws Exception {
    String registry = System.getProperty("testbed.registry");
    assertTrue(registry != null && !registry.isBlank(), "testbed.registry is not set: run this through mvn verify");
    work = Path.of(System.getProperty("catalogue.directory", "target/catalogue")).toAbsolutePath().resolve("sandbox-kill");
    Path cache = work.resolve("cache");
    RegistryOptions options = new RegistryOptions(true, RegistryOptions.parseMirrors(List.of("docker.io=" + registry)));
    BlobStore blobs = new BlobStore(cache.resolve("blobs"));
    BuilderSpec spec = new BuilderSpec(ImageName.parse("golang:1.26-alpine", null), BuilderSpec.Isolation.SANDBOX,
        BuilderSpec.SandboxTool.AUTO, Optional.empty(), List.of(), ".", "app", List.of(), "", Map.of(), false,
        Duration.ofMinutes(1), List.of(), BuilderSpec.UnpackLimits.DEFAULT);
    root = new BuilderImages(new ImagePuller(new dev.msbuild.registry.Registries(options, BuildLog.NONE), blobs, BuildLog.NONE), blobs, new RootfsCache(cache.resolve("rootfs")),
        BuildLog.NONE).unpack(spec).root();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bwrap", "unshare"})
  void killMinus9OfTheJvmKillsTheSandboxAndTheBuild(String tool) throws Exception {
    Path dir = work.resolve(tool);
    LayerUnpacker.deleteRecursively(dir);
    Files.createDirectories(dir);
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), BuildProcessInChildJvm.class.getName(), dir.toString(), tool,
            root.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    List<ProcessStamp> tree = List.of();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(dir.resolve("out/started")) && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(20);
      }
      assertTrue(Files.exists(dir.resolve("out/started")), "the sandboxed build never started:\n" + Files.readString(dir.resolve("child.log")));
      String childLog = Files.readString(dir.resolve("child.log"));
      assertFalse(childLog.contains("WARN"), childLog);
      tree = child.toHandle().descendants().map(h -> ProcessStamp.of(h.pid())).flatMap(Optional::stream).toList();
      // setpriv's exec of the sandbox tool, the sandbox's init, the shell and its two sleeps.
      assertTrue(tree.size() >= 4, tool + ": " + tree);
      child.destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (tree.stream().anyMatch(ProcessStamp::running) && System.nanoTime() < gone) {
        Thread.sleep(20);
      }
      assertEquals(List.of(), tree.stream().filter(ProcessStamp::running).toList(), tool + ": outlived the JVM's kill -9");
    } finally {
      child.destroyForcibly();
      tree.stream().filter(ProcessStamp::running).flatMap(s -> ProcessHandle.of(s.pid()).stream())
          .forEach(ProcessHandle::destroyForcibly);
    }
  }
}
