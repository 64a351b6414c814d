package dev.msbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the data flow's shape: Maven only in mojo/, no Jib, config/ on its own. Imports, static imports and fully qualified names all count; comments do not.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/dev/msbuild");
  private static final Pattern MAVEN = Pattern.compile("\\borg\\.apache\\.maven\\.");
  private static final Pattern JIB = Pattern.compile("\\bcom\\.google\\.cloud\\.tools\\.jib\\.");
  private static final Pattern OTHER_THAN_CONFIG = Pattern.compile("\\bdev\\.msbuild\\.(?!config\\b)[a-z]\\w*");

  @Test
  void onlyTheMojoPackageUsesMaven() throws IOException {
    assertEquals(List.of(), uses(MAVEN, Set.of("mojo")));
    assertFalse(usesIn("mojo", MAVEN).isEmpty(), "the scan found no Maven use in mojo/ at all: is it reading the sources?");
  }

  @Test
  void nothingUsesJib() throws IOException {
    // The registry client, the image values and the login files are the plugin's own: a smaller
    // class path (no HTTP stack but the JDK's), every retry and check in one place.
    assertEquals(List.of(), uses(JIB, Set.of()));
  }

  @Test
  void configUsesNoOtherDevMsbuildPackage() throws IOException {
    assertEquals(List.of(), usesIn("config", OTHER_THAN_CONFIG));
    assertFalse(usesIn("mojo", OTHER_THAN_CONFIG).isEmpty(), "the scan sees no cross-package use anywhere");
  }

  /** Uses of {@code pattern} in every package but the allowed ones. */
  private static List<String> uses(Pattern pattern, Set<String> allowedPackages) throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> packages = Files.list(SOURCES)) {
      for (Path pkg : packages.filter(Files::isDirectory).sorted().toList()) {
        if (!allowedPackages.contains(pkg.getFileName().toString())) {
          offenders.addAll(usesIn(pkg.getFileName().toString(), pattern));
        }
      }
    }
    // Files directly in dev/msbuild belong to no allowed package either.
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        offenders.addAll(matches(file, pattern));
      }
    }
    return offenders;
  }

  private static List<String> usesIn(String pkg, Pattern pattern) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        found.addAll(matches(file, pattern));
      }
    }
    return found;
  }

  private static List<String> matches(Path file, Pattern pattern) throws IOException {
    String code = withoutComments(Files.readString(file));
    List<String> found = new ArrayList<>();
    String[] lines = code.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = pattern.matcher(lines[i]);
      if (m.find() && !lines[i].trim().startsWith("package ")) {
        found.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines[i].trim());
      }
    }
    return found;
  }

  /** Blanks comments but keeps line breaks, so line numbers stay right. */
  private static String withoutComments(String source) {
    Matcher block = Pattern.compile("(?s)/\\*.*?\\*/").matcher(source);
    StringBuilder out = new StringBuilder();
    while (block.find()) {
      block.appendReplacement(out, Matcher.quoteReplacement(block.group().replaceAll("[^\n]", " ")));
    }
    block.appendTail(out);
    return out.toString().replaceAll("(?m)^(\\s*)//.*$", "$1");
  }
}
