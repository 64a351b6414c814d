package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfTest {
  @Test
  void tellsStaticFromDynamic(@TempDir Path dir) throws IOException {
    // This machine's go (statically linked since Go 1.21) and a dynamically linked system program.
    Path go = Sandboxes.onPath("go").orElseThrow();
    assertTrue(Elf.isStatic(go.toRealPath()), go + " should be static");
    assertFalse(Elf.isStatic(Path.of("/bin/sh").toRealPath()), "/bin/sh should need a loader");
    assertFalse(Elf.isStatic(Files.writeString(dir.resolve("script"), "#!/bin/sh\n")));
  }

  @Test
  void readsTheLoaderAndTheNeededLibraries() throws IOException {
    // A dynamically linked system program: glibc's loader, and libc among what it needs.
    Path sh = Path.of("/bin/sh").toRealPath();
    String loader = Elf.interpreter(sh).orElseThrow();
    assertTrue(loader.startsWith("/lib") && loader.contains("ld-linux"), loader);
    assertTrue(Elf.needed(sh).contains("libc.so.6"), String.valueOf(Elf.needed(sh)));
    Path go = Sandboxes.onPath("go").orElseThrow().toRealPath();
    assertTrue(Elf.interpreter(go).isEmpty());
    assertTrue(Elf.needed(go).isEmpty());
  }
}
