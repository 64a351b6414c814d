package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
  @Test
  void wordsAreQuotedOnlyWhenTheyNeedIt() {
    assertEquals("go", ShellWords.quote("go"));
    assertEquals("-tags=a,b", ShellWords.quote("-tags=a,b"));
    assertEquals("'-ldflags=-s -w -X main.v=1'", ShellWords.quote("-ldflags=-s -w -X main.v=1"));
    assertEquals("'it'\\''s'", ShellWords.quote("it's"));
    assertEquals("''", ShellWords.quote(""));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GOOS", "linux");
    env.put("CC", "gcc -static");
    assertEquals("GOOS=linux CC='gcc -static' go build '-ldflags=-s -w' -o /out/app .",
        ShellWords.line(env, List.of("go", "build", "-ldflags=-s -w", "-o", "/out/app", ".")));
  }

  @Test
  void aShellGivesBackTheWordsTheLineWasMadeOf() throws IOException, InterruptedException {
    List<String> words = List.of("-ldflags=-s -w -X 'main.v=it''s'", "$HOME", "a\"b", "tab\there", "*");
    Process sh = new ProcessBuilder("sh", "-c", "for w in " + ShellWords.line(Map.of(), words) + "; do printf '%s\\n' \"$w\"; done")
        .redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes());
    sh.waitFor();
    assertEquals(String.join("\n", words) + "\n", out);
  }
}
