package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdeps as the builder stage runs it, here with this machine's JDK on an application shaped like
 * a Spring Boot one: a dependency whose module descriptor requires a module that is not on the
 * classpath (jakarta.transaction-api requiring jakarta.cdi), and one that uses JDBC.
 */
class JdepsArgumentsTest {
  @TempDir Path dir;

  private static final Path JDEPS = Path.of(System.getProperty("java.home"), "bin", "jdeps");
  private static final int FEATURE = Runtime.version().feature();

  private void javac(String... args) {
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, args);
    assertEquals(0, rc, "javac " + String.join(" ", args));
  }

  private Path source(String relative, String text) throws IOException {
    Path file = dir.resolve("src").resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private Path jar(String name, Path classes) throws IOException {
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(classes)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(file));
      }
    }
    return jar;
  }

  private static String run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() + "\n" + out;
  }

  @Test
  void dependencyJarsOnTheClassPathNotAsInputs() throws Exception {
    // A module the transaction library requires, compiled against and then left out, as jakarta.cdi is.
    Path cdi = dir.resolve("cdi");
    javac("-d", cdi.toString(), source("cdi/module-info.java", "module fake.cdi { exports fake.cdi; }").toString(),
        source("cdi/fake/cdi/Bean.java", "package fake.cdi; public class Bean {}").toString());
    Path tx = dir.resolve("tx");
    javac("-d", tx.toString(), "--module-path", cdi.toString(),
        source("tx/module-info.java", "module fake.tx { requires fake.cdi; requires java.sql; exports fake.tx; }").toString(),
        source("tx/fake/tx/Tx.java", "package fake.tx; public class Tx { public static Object c() throws Exception {"
            + " return java.sql.DriverManager.getConnection(\"jdbc:x:\"); } }").toString());
    Path txJar = jar("fake-tx-1.0.jar", tx);
    Path classes = dir.resolve("classes");
    javac("-d", classes.toString(), "-cp", txJar.toString(),
        source("app/App.java", "package app; public class App { public static void main(String[] a) throws Exception {"
            + " System.out.println(fake.tx.Tx.c()); } }").toString());

    // The old way, every jar an input: the descriptor's missing module stops jdeps.
    List<String> old = new ArrayList<>(List.of(JDEPS.toString(), "--ignore-missing-deps", "--print-module-deps",
        "--multi-release", String.valueOf(FEATURE), classes.toString(), txJar.toString()));
    String oldOut = run(old);
    assertNotEquals("0", oldOut.substring(0, oldOut.indexOf('\n')), oldOut);

    List<String> argv = JlinkRuntime.jdepsArguments(JDEPS.toString(), FEATURE, classes.toString(), List.of(txJar.toString()), true);
    assertEquals(List.of(JDEPS.toString(), "--ignore-missing-deps", "-q", "--recursive", "--multi-release", String.valueOf(FEATURE),
        "--print-module-deps", "--class-path", txJar.toString(), classes.toString()), argv);
    String out = run(argv);
    assertTrue(out.startsWith("0\n"), out);
    // java.sql is reached only through the dependency: --recursive followed it.
    Optional<String> modules = JlinkRuntime.moduleList(out.substring(2));
    assertTrue(modules.isPresent() && List.of(modules.get().split(",")).contains("java.sql"), out);
    assertFalse(JlinkRuntime.referencesDesktop(classes, List.of(txJar)));
  }

  @Test
  void theFallbackAddsWhatLibrariesLoadAtRunTimeAndJavaDesktopWhenNamed() throws Exception {
    assertEquals(List.of("java.base", "java.logging", "java.naming", "java.sql", "java.management", "java.instrument",
        "jdk.unsupported"), JlinkRuntime.fallbackModules(List.of("java.base", "java.logging"), false));
    assertEquals("java.desktop", JlinkRuntime.fallbackModules(List.of(), true).get(6));
    Path classes = dir.resolve("beans");
    javac("-d", classes.toString(), source("b/B.java",
        "package b; public class B { public static Object d(Object o) throws Exception { return java.beans.Introspector.getBeanInfo(o.getClass()); } }").toString());
    assertTrue(JlinkRuntime.referencesDesktop(dir.resolve("none"), List.of(jar("beans.jar", classes))));
    assertTrue(JlinkRuntime.referencesDesktop(classes, List.of()));
    assertEquals(Optional.of("java.base,java.sql"), JlinkRuntime.moduleList("Warning: x\njava.base,java.sql\n"));
    assertEquals(Optional.empty(), JlinkRuntime.moduleList("Error: Module jakarta.cdi not found, required by jakarta.transaction\n"));
  }
}
