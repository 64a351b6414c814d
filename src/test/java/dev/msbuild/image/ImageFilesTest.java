package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base's file names as the runtime check reads them, and the check's verdicts. */
class ImageFilesTest {
  @TempDir Path dir;
  private int layers;

  private Path layer(LayerEntry... entries) throws IOException {
    return AppLayer.writeEntries(List.of(entries), dir.resolve("layer" + (layers++) + ".tar.gz")).file();
  }

  private static LayerEntry file(String path) {
    return new LayerEntry.BytesEntry(path, new byte[] {1}, 0755, Owner.ROOT);
  }

  private static LayerEntry link(String path, String target) {
    return new LayerEntry.SymlinkEntry(path, target, Owner.ROOT);
  }

  /** Debian's layout: /lib64/ld-linux-x86-64.so.2 a link into the multiarch directory, /lib64 itself a link under usrmerge. */
  private Path glibc() throws IOException {
    return layer(
        link("/lib64", "usr/lib64"),
        link("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        link("/lib", "usr/lib"),
        file("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        file("/usr/lib/x86_64-linux-gnu/libc.so.6"),
        link("/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.2.13"),
        file("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"));
  }

  @Test
  void followsAbsoluteAndRelativeLinksThroughLinkedDirectories() throws IOException {
    ImageFiles files = ImageFiles.fromLayers(List.of(glibc()));
    assertEquals(Optional.of(ImageFiles.Kind.FILE), files.resolve("/lib64/ld-linux-x86-64.so.2"));
    assertTrue(files.exists("/lib/x86_64-linux-gnu/libz.so.1"));
    assertTrue(files.exists("/usr/lib/x86_64-linux-gnu/../x86_64-linux-gnu/libc.so.6"));
    assertFalse(files.exists("/lib/ld-musl-x86_64.so.1"));
  }

  @Test
  void laterLayersWhiteOutAndOpaqueDirectoriesHide() throws IOException {
    Path base = glibc();
    ImageFiles removed = ImageFiles.fromLayers(List.of(base, layer(file("/usr/lib/x86_64-linux-gnu/.wh.libc.so.6"))));
    assertFalse(removed.exists("/lib/x86_64-linux-gnu/libc.so.6"));
    assertTrue(removed.exists("/lib64/ld-linux-x86-64.so.2"));
    ImageFiles opaque = ImageFiles.fromLayers(List.of(base,
        layer(file("/usr/lib/x86_64-linux-gnu/.wh..wh..opq"), file("/usr/lib/x86_64-linux-gnu/other.so"))));
    assertFalse(opaque.exists("/lib64/ld-linux-x86-64.so.2"));
    assertTrue(opaque.exists("/lib/x86_64-linux-gnu/other.so"));
  }

  @Test
  void linkLoopsEndAsMissing() throws IOException {
    ImageFiles files = ImageFiles.fromLayers(List.of(layer(link("/a", "b"), link("/b", "/a"))));
    assertFalse(files.exists("/a"));
  }

  @Test
  void aGlibcRuntimeOnAMuslBaseIsRefusedNamingTheBase() throws IOException {
    ImageFiles alpine = ImageFiles.fromLayers(List.of(layer(file("/lib/ld-musl-x86_64.so.1"), link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"))));
    MsbuildException e = assertThrows(MsbuildException.class, () -> JavaRuntimeCheck.checkRuntime(alpine, "alpine:3.20",
        Optional.of("/lib64/ld-linux-x86-64.so.2"), List.of("libc.so.6"), "eclipse-temurin:25-jdk@sha256:x"));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.getMessage().contains("glibc") && e.getMessage().contains("musl only (/lib/ld-musl-x86_64.so.1)"), e.getMessage());
    assertTrue(e.fix().contains("eclipse-temurin:25-jdk-alpine"), e.fix());
    MsbuildException scratch = assertThrows(MsbuildException.class, () -> JavaRuntimeCheck.checkRuntime(ImageFiles.EMPTY, "scratch",
        Optional.of("/lib64/ld-linux-x86-64.so.2"), List.of(), "jdk"));
    assertTrue(scratch.getMessage().contains("no C library loader at all"), scratch.getMessage());
  }

  @Test
  void aMissingLibraryIsNamed() throws IOException {
    ImageFiles debian = ImageFiles.fromLayers(List.of(glibc()));
    JavaRuntimeCheck.checkRuntime(debian, "debian", Optional.of("/lib64/ld-linux-x86-64.so.2"), List.of("libc.so.6", "libz.so.1"), "jdk");
    MsbuildException e = assertThrows(MsbuildException.class, () -> JavaRuntimeCheck.checkRuntime(debian, "debian",
        Optional.of("/lib64/ld-linux-x86-64.so.2"), List.of("libc.so.6", "libfreetype.so.6"), "jdk"));
    assertTrue(e.getMessage().contains("needs libfreetype.so.6"), e.getMessage());
  }

  @Test
  void withoutJlinkTheBaseNeedsAJavaOnItsPath() throws IOException {
    ImageFiles jre = ImageFiles.fromLayers(List.of(glibc(), layer(file("/opt/java/openjdk/bin/java"))));
    JavaRuntimeCheck.checkBaseJava(jre, "eclipse-temurin:25-jre", Optional.of("/opt/java/openjdk/bin:/usr/bin:/bin"));
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> JavaRuntimeCheck.checkBaseJava(jre, "eclipse-temurin:25-jre", Optional.empty()));
    assertEquals(Optional.of(Setting.FROM_IMAGE), e.setting());
    assertTrue(e.fix().contains(Setting.JAVA_JLINK.xml()), e.fix());
  }
}
