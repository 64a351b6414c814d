package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.msbuild.config.BuilderSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void masksEveryValueLongestFirst() {
    Redactor redactor =
        new Redactor(List.of(new BuilderSpec.Secret("a", "abc"), new BuilderSpec.Secret("b", "abcdef"), new BuilderSpec.Secret("c", "")));
    assertEquals("token=**** and ****, ****!", redactor.redact("token=abcdef and abc, abc!"));
    assertEquals("nothing here", redactor.redact("nothing here"));
  }
}
