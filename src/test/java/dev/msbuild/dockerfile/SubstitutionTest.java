package dev.msbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {
  private static final Map<String, String> VALUES = Map.of("GO_VERSION", "1.26", "EMPTY", "", "TARGETARCH", "arm64");

  private static String expand(String text) {
    return Substitution.expand(text, VALUES, '\\', 1);
  }

  @Test
  void theReferenceForms() {
    assertEquals("golang:1.26-alpine", expand("golang:${GO_VERSION}-alpine"));
    assertEquals("golang:1.26", expand("golang:$GO_VERSION"));
    assertEquals("out-arm64/app", expand("out-$TARGETARCH/app"));
    assertEquals("", expand("$UNSET"));
    assertEquals("x", expand("${UNSET:-x}"));
    assertEquals("x", expand("${EMPTY:-x}"));
    assertEquals("", expand("${EMPTY-x}"));
    assertEquals("set", expand("${GO_VERSION:+set}"));
    assertEquals("", expand("${EMPTY:+set}"));
    assertEquals("set", expand("${EMPTY+set}"));
    assertEquals("1.26", expand("${UNSET:-$GO_VERSION}"));
    assertEquals("$GO_VERSION", expand("\\$GO_VERSION"));
    assertEquals("cost: 5$", expand("cost: 5$"));
  }

  @Test
  void brokenReferencesNameTheLine() {
    DockerfileParser.SyntaxError open = assertThrows(DockerfileParser.SyntaxError.class,
        () -> Substitution.expand("golang:${GO_VERSION", VALUES, '\\', 7));
    assertEquals(7, open.line());
    assertThrows(DockerfileParser.SyntaxError.class, () -> expand("${GO_VERSION?required}"));
  }
}
