package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.JavaSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaPlanTest {
  @TempDir Path project;
  Path classes;

  @BeforeEach
  void compiled() throws IOException {
    classes = Files.createDirectories(project.resolve("target/classes"));
  }

  private static UserProperties cli(String... keyValues) {
    Properties props = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return new UserProperties(props, new Properties());
  }

  private Path jar(String mainClass) throws IOException {
    return jar(mainClass, null);
  }

  private Path jar(String mainClass, String startClass) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    }
    if (startClass != null) {
      manifest.getMainAttributes().putValue("Start-Class", startClass);
    }
    Path jar = project.resolve("target/app-1.0.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      // the manifest alone
    }
    return jar;
  }

  /** Compiles {@code source} (a whole compilation unit) into {@code into} with the JDK's javac. */
  static void compile(Path into, String className, String source) throws IOException {
    Path src = Files.createTempDirectory("javaplan-src").resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
    Files.writeString(src, source);
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", into.toString(), src.toString());
    assertEquals(0, rc, "javac " + src);
  }

  /** A class {@code com.example.<name>} with {@code public static void main(String[])} in target/classes. */
  private void mainIn(String name) throws IOException {
    compile(classes, "com.example." + name,
        "package com.example; public class " + name + " { public static void main(String[] a) { } }");
  }

  private PlanFactory.Inputs inputs(String packaging, Optional<Path> jar, List<JavaPlan.Jar> deps, String release, JavaParameters java) {
    return new PlanFactory.Inputs(
        null, null, null, null, null, false, null, project.resolve("cache"), project, project.resolve("target/msbuild"),
        "app", "1.0", n -> null, id -> Optional.empty(), null,
        new FinalStagePlan.Parameters(null, false, false, null, null), null, false,
        id -> Optional.empty(),
        new PomLabels.Project(null, "app", null, "1.0", null, null, List.of(), null, project),
        java, new JavaPlan.Project(packaging, classes, jar, deps, Optional.ofNullable(release)));
  }

  @Test
  void aJarProjectIsJavaWithTheMainClassFromItsManifestAndAJreBase() throws IOException {
    mainIn("App");
    BuildPlan plan = PlanFactory.create(inputs("jar", Optional.of(jar("com.example.App")), List.of(), "17", null), cli());
    JavaSpec java = plan.java().orElseThrow();
    assertEquals("com.example.App", java.mainClass());
    assertEquals(JavaSpec.Mode.EXPLODED, java.mode());
    assertTrue(java.jlink().isEmpty());
    assertEquals("docker.io/library/eclipse-temurin:17-jre", plan.from().orElseThrow().toString());
  }

  @Test
  void thePomPackagingAndGoModuleProjectsStayGo() throws IOException {
    assertTrue(PlanFactory.create(inputs("pom", Optional.empty(), List.of(), null, null), cli()).java().isEmpty());
    Files.writeString(project.resolve("main.go"), "package main\n");
    assertTrue(PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null), cli()).java().isEmpty());
    Files.delete(project.resolve("main.go"));
    Files.writeString(project.resolve("go.mod"), "module x\n\ngo 1.26\n");
    assertTrue(PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null), cli()).java().isEmpty());
    // Nothing compiled: not a Java project either.
    Files.delete(project.resolve("go.mod"));
    Files.delete(classes);
    assertTrue(PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null), cli()).java().isEmpty());
  }

  @Test
  void releasesPickTheLtsImageAtOrAbove() {
    assertEquals("eclipse-temurin:8-jre", JavaPlan.defaultBase(Optional.of("1.8")));
    assertEquals("eclipse-temurin:11-jre", JavaPlan.defaultBase(Optional.of("9")));
    assertEquals("eclipse-temurin:17-jre", JavaPlan.defaultBase(Optional.of("17")));
    assertEquals("eclipse-temurin:21-jre", JavaPlan.defaultBase(Optional.of("18")));
    assertEquals("eclipse-temurin:25-jre", JavaPlan.defaultBase(Optional.of("25")));
    assertEquals("eclipse-temurin:25-jdk", JavaPlan.defaultBuilder(Optional.empty()));
  }

  @Test
  void jlinkTakesAJdkBuilderAndNoDefaultBase() throws IOException {
    mainIn("App");
    JavaParameters java = new JavaParameters();
    java.jlink = new JlinkParameters();
    java.jlink.modules = List.of("java.base", "java.logging");
    BuildPlan plan = PlanFactory.create(inputs("jar", Optional.of(jar("com.example.App")), List.of(), "21", java), cli());
    assertEquals(List.of("java.base", "java.logging"), plan.java().orElseThrow().jlink().orElseThrow().modules());
    assertEquals(List.of(), plan.java().orElseThrow().jlink().orElseThrow().addModules());
    java.jlink.addModules = List.of("jdk.crypto.ec");
    assertEquals(List.of("jdk.crypto.ec"), PlanFactory.create(inputs("jar", Optional.of(jar("com.example.App")), List.of(), "21", java), cli())
        .java().orElseThrow().jlink().orElseThrow().addModules());
    assertEquals(List.of("jdk.localedata", "java.net.http"), PlanFactory.create(inputs("jar", Optional.of(jar("com.example.App")), List.of(), "21", java),
        cli("msbuild.java.jlink.addModules", "jdk.localedata, java.net.http")).java().orElseThrow().jlink().orElseThrow().addModules());
    MsbuildException bad = assertThrows(MsbuildException.class, () -> PlanFactory.create(
        inputs("jar", Optional.of(jar("com.example.App")), List.of(), "21", java), cli("msbuild.java.jlink.addModules", "jdk.localedata,no way")));
    assertEquals(Optional.of(Setting.JAVA_JLINK_ADD_MODULES), bad.setting());
    assertEquals("docker.io/library/eclipse-temurin:21-jdk", plan.builder().image().toString());
    assertEquals(Optional.empty(), plan.from());
  }

  @Test
  void dependenciesSharingAFileNameArePrefixedWithTheirGroup() throws IOException {
    compile(classes, "X", "public class X { public static void main(String[] a) { } }");
    Path a = Files.createDirectories(project.resolve("repo/a")).resolve("util-1.0.jar");
    Path b = Files.createDirectories(project.resolve("repo/b")).resolve("util-1.0.jar");
    Path c = project.resolve("repo/c-2.0-SNAPSHOT.jar");
    for (Path p : List.of(a, b, c)) {
      Files.write(p, new byte[] {1});
    }
    List<JavaPlan.Jar> deps = List.of(new JavaPlan.Jar(a, "org.a", "util", "1.0", false), new JavaPlan.Jar(b, "org.b", "util", "1.0", false),
        new JavaPlan.Jar(c, "org.c", "c", "1.0", true));
    JavaSpec java = PlanFactory.create(inputs("jar", Optional.of(jar("X")), deps, null, null), cli()).java().orElseThrow();
    assertEquals(List.of("org.a-util-1.0.jar", "org.b-util-1.0.jar", "c-2.0-SNAPSHOT.jar"),
        java.dependencies().stream().map(JavaSpec.Dependency::fileName).toList());
    assertTrue(java.dependencies().get(2).snapshot());
  }

  @Test
  void mistakesNameTheirSetting() throws IOException {
    compile(classes, "A", "public class A { public static void main(String[] a) { } }");
    compile(classes, "B", "public class B { public static void main(String[] a) { } }");
    Optional<Path> noMain = Optional.of(jar(null));
    MsbuildException none = assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", noMain, List.of(), null, null), cli()));
    assertEquals(Optional.of(Setting.JAVA_MAIN_CLASS), none.setting());
    assertTrue(none.getMessage().contains("Main-Class") && none.getMessage().contains("A, B"), none.getMessage());
    assertEquals(Optional.of(Setting.JAVA_MODE), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", noMain, List.of(), null, null), cli("msbuild.java.mainClass", "A", "msbuild.java.mode", "fat"))).setting());
    assertEquals(Optional.of(Setting.JAVA_JLINK_MODULES), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", noMain, List.of(), null, null),
            cli("msbuild.java.mainClass", "A", "msbuild.java.jlink", "true", "msbuild.java.jlink.modules", "java.base,no way"))).setting());
    assertEquals(Optional.of(Setting.JAVA_JLINK_COMPRESS), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", noMain, List.of(), null, null),
            cli("msbuild.java.mainClass", "A", "msbuild.java.jlink", "true", "msbuild.java.jlink.compress", "zip-99"))).setting());
    assertEquals(Optional.of(Setting.BUILDER_ISOLATION), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", noMain, List.of(), null, null),
            cli("msbuild.java.mainClass", "A", "msbuild.java.jlink", "true", "msbuild.builder.isolation", "host"))).setting());
    dev.msbuild.rootfs.LayerUnpacker.deleteRecursively(classes);
    assertEquals(Optional.of(Setting.JAVA), assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", noMain, List.of(), null, null), cli("msbuild.java.mainClass", "A"))).setting());
  }

  @Test
  void theMainClassIsFoundAsJibFindsItAndSaysWhere() throws IOException {
    mainIn("App");
    compile(classes, "com.example.Helper", "package com.example; class Helper { static void main(String[] a) { } public void main() { } }");
    compile(classes, "com.example.Other", "package com.example; public class Other { public static int main(String[] a) { return 0; } }");
    // Spring Boot's repackaged jar: the launcher is its Main-Class, the application's class its Start-Class.
    JavaSpec boot = PlanFactory.create(inputs("jar", Optional.of(jar("org.springframework.boot.loader.launch.JarLauncher",
        "com.example.App")), List.of(), null, null), cli()).java().orElseThrow();
    assertEquals("com.example.App", boot.mainClass());
    assertTrue(boot.mainClassOrigin().contains("Start-Class"), boot.mainClassOrigin());
    // A launcher alone is not the application's class: the one class with main is.
    JavaSpec scanned = PlanFactory.create(inputs("jar", Optional.of(jar("org.springframework.boot.loader.launch.JarLauncher")),
        List.of(), null, null), cli()).java().orElseThrow();
    assertEquals("com.example.App", scanned.mainClass());
    assertTrue(scanned.mainClassOrigin().contains("the one class with a main method"), scanned.mainClassOrigin());
    // No jar at all (mvn compile msbuild:image): the scan still finds it.
    assertEquals("com.example.App",
        PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null), cli()).java().orElseThrow().mainClass());
    JavaSpec configured = PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null),
        cli("msbuild.java.mainClass", "com.example.App")).java().orElseThrow();
    assertEquals("-Dmsbuild.java.mainClass", configured.mainClassOrigin());
  }

  @Test
  void noneOrSeveralClassesWithMainAskForMainClassListingThem() throws IOException {
    MsbuildException none = assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", Optional.of(jar("org.springframework.boot.loader.launch.JarLauncher")), List.of(), null, null), cli()));
    assertEquals(Optional.of(Setting.JAVA_MAIN_CLASS), none.setting());
    assertTrue(none.getMessage().contains("only Spring Boot's launcher org.springframework.boot.loader.launch.JarLauncher")
        && none.getMessage().contains("no class in"), none.getMessage());
    mainIn("App");
    mainIn("Tool");
    MsbuildException several = assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null), cli()));
    assertTrue(several.getMessage().contains("2 classes") && several.getMessage().contains("com.example.App, com.example.Tool")
        && several.fix().contains("<java><mainClass>"), several.getMessage());
  }

  @Test
  void aMainClassNotOnTheImagesClasspathIsRefused() throws IOException {
    mainIn("App");
    MsbuildException missing = assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", Optional.empty(), List.of(), null, null), cli("msbuild.java.mainClass", "com.example.Gone")));
    assertEquals(Optional.of(Setting.JAVA_MAIN_CLASS), missing.setting());
    assertTrue(missing.getMessage().contains("not on the image's classpath") && missing.fix().contains("com.example.App"),
        missing.getMessage());
    // A main class from a runtime dependency is on the classpath.
    Path lib = project.resolve("lib.jar");
    Path libClasses = Files.createDirectories(project.resolve("lib-classes"));
    compile(libClasses, "org.lib.Main", "package org.lib; public class Main { public static void main(String[] a) { } }");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(lib))) {
      j.putNextEntry(new java.util.jar.JarEntry("org/lib/Main.class"));
      j.write(Files.readAllBytes(libClasses.resolve("org/lib/Main.class")));
    }
    assertEquals("org.lib.Main", PlanFactory.create(inputs("jar", Optional.empty(), List.of(new JavaPlan.Jar(lib, "org.lib", "lib", "1.0", false)),
        null, null), cli("msbuild.java.mainClass", "org.lib.Main")).java().orElseThrow().mainClass());
  }

  @Test
  void classFilesAreReadForAPublicStaticVoidMainOfStrings() throws IOException {
    Path out = Files.createDirectories(project.resolve("scan"));
    compile(out, "p.Yes", "package p; public class Yes { static final long L = 1L; static final double D = 2.0; "
        + "String s = \"x\"; Runnable r = () -> {}; public static void main(String... a) { } }");
    compile(out, "p.No", "package p; public class No { public void main(String[] a) { } private static void main(int x) { } }");
    assertTrue(ClassFiles.hasMain(Files.readAllBytes(out.resolve("p/Yes.class"))));
    assertFalse(ClassFiles.hasMain(Files.readAllBytes(out.resolve("p/No.class"))));
    assertFalse(ClassFiles.hasMain(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0}));
    assertFalse(ClassFiles.hasMain("not a class".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void springBootsRepackagedJarNeverGoesOnAClasspath() throws IOException {
    mainIn("App");
    Path fat = jar("org.springframework.boot.loader.launch.JarLauncher", "com.example.App");
    JavaParameters packaged = new JavaParameters();
    packaged.mode = "packaged";
    // No .original beside it: refused, naming the mode and the classifier way out.
    MsbuildException noOriginal = assertThrows(MsbuildException.class,
        () -> PlanFactory.create(inputs("jar", Optional.of(fat), List.of(), null, packaged), cli()));
    assertEquals(Optional.of(Setting.JAVA_MODE), noOriginal.setting());
    assertTrue(noOriginal.getMessage().contains("repackaged") && noOriginal.fix().contains("<classifier>exec</classifier>"),
        noOriginal.getMessage());
    // With it, the project's own jar goes into the image, under the jar's name.
    Path original = project.resolve("target/app-1.0.jar.original");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(original))) {
      j.putNextEntry(new java.util.jar.JarEntry("com/example/App.class"));
      j.write(Files.readAllBytes(classes.resolve("com/example/App.class")));
    }
    Path devtools = Files.write(project.resolve("spring-boot-devtools-4.0.7.jar"), new byte[] {1});
    Path web = Files.write(project.resolve("spring-web-7.0.0.jar"), new byte[] {1});
    List<JavaPlan.Jar> deps = List.of(new JavaPlan.Jar(devtools, "org.springframework.boot", "spring-boot-devtools", "1.0", false),
        new JavaPlan.Jar(web, "org.springframework", "spring-web", "1.0", false));
    JavaSpec java = PlanFactory.create(inputs("jar", Optional.of(fat), deps, null, packaged), cli()).java().orElseThrow();
    assertEquals(original, java.jar().orElseThrow());
    assertEquals("app-1.0.jar", JavaSpec.imageJarName(java.jar().orElseThrow()));
    assertEquals("com.example.App", java.mainClass());
    assertEquals(List.of("spring-web-7.0.0.jar"), java.dependencies().stream().map(JavaSpec.Dependency::fileName).toList());
    assertTrue(java.notes().stream().anyMatch(n -> n.contains("Left out spring-boot-devtools-4.0.7.jar")), java.notes().toString());
    assertTrue(java.notes().stream().anyMatch(n -> n.contains("app-1.0.jar.original")), java.notes().toString());
    // Exploded (the default), the classes and dependencies are the layers; the fat jar is only read for Start-Class.
    JavaSpec exploded = PlanFactory.create(inputs("jar", Optional.of(fat), deps, null, null), cli()).java().orElseThrow();
    assertEquals(JavaSpec.Mode.EXPLODED, exploded.mode());
    assertEquals(1, exploded.dependencies().size());
    assertTrue(exploded.notes().stream().anyMatch(n -> n.contains("Spring Boot project")), exploded.notes().toString());
  }
}
