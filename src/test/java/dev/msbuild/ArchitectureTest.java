package dev.msbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the data flow's shape: Maven only in mojo/, Jib only in image/ and publish/. */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/msbuild");

  @Test
  void mavenTypesStayInTheMojoPackage() throws IOException {
    assertEquals(List.of(), importers("import org.apache.maven", "mojo"));
  }

  @Test
  void jibTypesStayInImageAndPublish() throws IOException {
    assertEquals(List.of(), importers("import com.google.cloud.tools.jib", "image", "publish"));
  }

  @Test
  void configDependsOnNoOtherStage() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : javaFiles(SOURCES.resolve("config"))) {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("import dev.msbuild.") && !line.startsWith("import dev.msbuild.config.")) {
          offenders.add(file + ": " + line);
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  @Test
  void theSourcesAreThere() throws IOException {
    assertFalse(javaFiles(SOURCES).isEmpty());
  }

  private static List<String> importers(String prefix, String... allowedPackages) throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : javaFiles(SOURCES)) {
      String pkg = SOURCES.relativize(file).getName(0).toString();
      if (List.of(allowedPackages).contains(pkg)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(prefix)) {
          offenders.add(file + ": " + line);
        }
      }
    }
    return offenders;
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
