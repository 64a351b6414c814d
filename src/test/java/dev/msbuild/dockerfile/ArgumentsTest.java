package dev.msbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
  @Test
  void wordsKeepQuotedSpacesAndSubstitute() {
    assertEquals(List.of("a", "b c", "/d/v1/"), Arguments.words("a \"b c\"  /d/${V}/", Map.of("V", "v1"), 1));
    assertEquals(List.of("x y"), Arguments.words("x\\ y", Map.of(), 1));
  }

  @Test
  void pairsInBothForms() {
    assertEquals(Map.of("A", "1", "B", "two words", "C", "v1"),
        Arguments.pairs("ENV", "A=1 B=\"two words\" C=$V", Map.of("V", "v1"), 3));
    assertEquals(Map.of("GOPATH", "/go and more"), Arguments.pairs("ENV", "GOPATH /go and more", Map.of(), 3));
    DockerfileParser.SyntaxError e = assertThrows(DockerfileParser.SyntaxError.class, () -> Arguments.pairs("ENV", "ONLY", Map.of(), 7));
    assertEquals(7, e.line());
  }
}
