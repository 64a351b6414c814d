package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.JavaSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaLayersTest {
  @TempDir Path dir;

  private JavaSpec spec(JavaSpec.Mode mode, Optional<Path> jar) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes/com/example"));
    Files.writeString(classes.resolve("App.class"), "class");
    Files.writeString(dir.resolve("classes/app.properties"), "a=b");
    Path lib = Files.writeString(dir.resolve("lib-1.0.jar"), "jar");
    Path snapshot = Files.writeString(dir.resolve("snap-1.0-SNAPSHOT.jar"), "jar");
    return new JavaSpec(mode, "com.example.App", "<java><mainClass>", List.of("-Xmx64m"), dir.resolve("classes"), jar,
        List.of(new JavaSpec.Dependency(lib, "lib-1.0.jar", false), new JavaSpec.Dependency(snapshot, "snap-1.0-SNAPSHOT.jar", true)),
        Optional.empty(), 17, List.of());
  }

  private static List<String> paths(JavaLayers.Planned layer) {
    return layer.entries().stream().map(LayerEntry::imagePath).toList();
  }

  @Test
  void explodedLayersGoFromLeastToMostChanging() throws IOException {
    JavaLayers.Layout layout = JavaLayers.plan(spec(JavaSpec.Mode.EXPLODED, Optional.empty()), Optional.empty(), Optional.empty());
    assertEquals(List.of("dependencies.tar.gz", "snapshot-dependencies.tar.gz", "resources.tar.gz", "classes.tar.gz"),
        layout.layers().stream().map(JavaLayers.Planned::fileName).toList());
    assertEquals(List.of("/app/libs/lib-1.0.jar"), paths(layout.layers().get(0)));
    assertEquals(List.of("/app/resources/app.properties"), paths(layout.layers().get(2)));
    assertEquals(List.of("/app/classes/com/example/App.class"), paths(layout.layers().get(3)));
    assertEquals(List.of("java", "-Xmx64m", "-cp", "/app/resources:/app/classes:/app/libs/lib-1.0.jar:/app/libs/snap-1.0-SNAPSHOT.jar",
        "com.example.App"), layout.entrypoint());
    assertEquals(Map.of(), layout.environment());
  }

  @Test
  void aJlinkRuntimeComesFirstKeepsItsModesAndIsOnThePath() throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("runtime/bin"));
    Files.writeString(runtime.resolve("java"), "elf");
    Files.setPosixFilePermissions(runtime.resolve("java"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(dir.resolve("runtime/legal"), Path.of("bin"));
    Path jar = Files.writeString(dir.resolve("app-1.0.jar"), "jar");
    JavaLayers.Layout layout = JavaLayers.plan(spec(JavaSpec.Mode.PACKAGED, Optional.of(jar)), Optional.of(dir.resolve("runtime")),
        Optional.of("/usr/bin:/bin"));
    JavaLayers.Planned first = layout.layers().get(0);
    assertEquals("java-runtime.tar.gz", first.fileName());
    LayerEntry java = first.entries().stream().filter(e -> e.imagePath().equals("/opt/java/bin/java")).findFirst().orElseThrow();
    assertEquals(0755, java.mode());
    assertTrue(first.entries().contains(new LayerEntry.SymlinkEntry("/opt/java/legal", "bin", dev.msbuild.config.FinalStageSpec.Owner.ROOT)));
    assertEquals("jar.tar.gz", layout.layers().get(layout.layers().size() - 1).fileName());
    assertEquals("/opt/java/bin/java", layout.entrypoint().get(0));
    assertEquals("/app/app-1.0.jar:/app/libs/lib-1.0.jar:/app/libs/snap-1.0-SNAPSHOT.jar", layout.entrypoint().get(3));
    assertEquals(Map.of("JAVA_HOME", "/opt/java", "PATH", "/opt/java/bin:/usr/bin:/bin"), layout.environment());
  }

  @Test
  void aLongClasspathGoesIntoAnArgfileOfItsOwnLayer() throws Exception {
    Files.createDirectories(dir.resolve("classes/com/example"));
    Files.writeString(dir.resolve("classes/com/example/App.class"), "class");
    List<JavaSpec.Dependency> deps = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String name = "library-number-" + i + "-1.0.jar";
      deps.add(new JavaSpec.Dependency(Files.writeString(dir.resolve(name), "jar"), name, false));
    }
    JavaSpec spec = new JavaSpec(JavaSpec.Mode.EXPLODED, "com.example.App", "<java><mainClass>", List.of(), dir.resolve("classes"),
        Optional.empty(), deps, Optional.empty(), 17, List.of());
    JavaLayers.Layout layout = JavaLayers.plan(spec, Optional.empty(), Optional.empty(), true);
    assertEquals(List.of("java", "-cp", "@/app/classpath.argfile", "com.example.App"), layout.entrypoint());
    JavaLayers.Planned last = layout.layers().get(layout.layers().size() - 1);
    assertEquals("classpath.tar.gz", last.fileName());
    LayerEntry.BytesEntry file = (LayerEntry.BytesEntry) last.entries().get(0);
    assertEquals("/app/classpath.argfile", file.imagePath());
    String text = new String(file.content(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\"/app/resources:/app/classes:/app/libs/library-number-0-1.0.jar:") && text.endsWith("-59-1.0.jar\"\n"), text);
    // The same inputs give the same bytes.
    assertEquals(text, new String(((LayerEntry.BytesEntry) JavaLayers.plan(spec, Optional.empty(), Optional.empty(), true).layers()
        .get(layout.layers().size() - 1).entries().get(0)).content(), java.nio.charset.StandardCharsets.UTF_8));
    // The java launcher reads it back as the one classpath argument.
    Path argfile = Files.write(dir.resolve("classpath.argfile"), file.content());
    Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", "@" + argfile,
        "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
    String shown = new String(launcher.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(shown.contains("java.class.path = /app/resources"), shown);
    assertTrue(shown.contains("/app/libs/library-number-59-1.0.jar"), shown);
    // A Java 8 runtime does not read @argfiles: the classpath stays in the entrypoint.
    JavaLayers.Layout java8 = JavaLayers.plan(spec, Optional.empty(), Optional.empty(), false);
    assertTrue(java8.entrypoint().get(2).startsWith("/app/resources:/app/classes:/app/libs/"));
    assertTrue(java8.layers().stream().noneMatch(l -> l.fileName().equals("classpath.tar.gz")));
  }
}
