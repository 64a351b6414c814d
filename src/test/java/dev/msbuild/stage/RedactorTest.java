package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.msbuild.config.BuilderSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  /** A made-up key in PEM's shape: a header, 64-character lines, a short last line, a footer. */
  static final String PEM = String.join("\n",
      "-----BEGIN PRIVATE KEY-----",
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
      "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu",
      "Xw==",
      "-----END PRIVATE KEY-----",
      "");

  @Test
  void masksEveryValueLongestFirst() {
    Redactor redactor =
        new Redactor(List.of(new BuilderSpec.Secret("a", "abc"), new BuilderSpec.Secret("b", "abcdef"), new BuilderSpec.Secret("c", "")));
    assertEquals("token=**** and ****, ****!", redactor.redact("token=abcdef and abc, abc!"));
    assertEquals("nothing here", redactor.redact("nothing here"));
  }

  @Test
  void aMultiLineSecretIsMaskedWholeAndLineByLine() {
    Redactor redactor = new Redactor(List.of(new BuilderSpec.Secret("key", PEM)));
    assertEquals("key: ****\n", redactor.redact("key: " + PEM));
    // As the build's output arrives: one line at a time, indented or not.
    for (String line : PEM.split("\n")) {
      if (line.length() >= Redactor.MIN_LINE) {
        assertEquals("[go] ****", redactor.redact("[go] " + line));
        assertEquals("    **** ", redactor.redact("    " + line + " "));
      }
    }
    // Lines shorter than the minimum are left alone; here the key's four-character tail.
    assertEquals("Xw==", redactor.redact("Xw=="));
  }

  @Test
  void trivialLinesOfASecretAreNotMaskedOnTheirOwn() {
    String json = "{\n  \"private_key_id\": \"4f1b2c3d4e5f60718293a4b5c6d7e8f9\",\n  \"type\": \"x\"\n}\n";
    Redactor redactor = new Redactor(List.of(new BuilderSpec.Secret("creds", json)));
    assertEquals("{", redactor.redact("{"));
    assertEquals("}", redactor.redact("}"));
    assertEquals("", redactor.redact(""));
    assertEquals("  ****", redactor.redact("  \"private_key_id\": \"4f1b2c3d4e5f60718293a4b5c6d7e8f9\","));
    assertEquals("got ****\n", redactor.redact("got " + json));
  }

  @Test
  void windowsLineEndsSplitTheSecretToo() {
    String secret = "first-line-of-it\r\nsecond-line-of-it\r\n";
    Redactor redactor = new Redactor(List.of(new BuilderSpec.Secret("s", secret)));
    assertEquals("****", redactor.redact("second-line-of-it"));
    assertFalse(redactor.redact("a first-line-of-it b").contains("first-line"));
  }
}
