package dev.msbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

/** Every XML snippet in the README and docs/ parses, so that copied into a pom it works. */
class DocsSnippetsTest {
  private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyXmlSnippetIsWellFormed() throws Exception {
    List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<String> broken = new ArrayList<>();
    int snippets = 0;
    for (Path file : files) {
      Matcher m = XML_BLOCK.matcher(Files.readString(file));
      while (m.find()) {
        snippets++;
        try {
          // Snippets are pom fragments: several elements side by side, so wrapped in one root.
          DocumentBuilderFactory.newInstance().newDocumentBuilder()
              .parse(new InputSource(new StringReader("<snippet>" + m.group(1) + "</snippet>")));
        } catch (org.xml.sax.SAXException | IOException e) {
          broken.add(file + ": " + e.getMessage() + "\n" + m.group(1).lines().limit(3).toList());
        }
      }
    }
    assertTrue(snippets >= 8, "found only " + snippets + " XML snippets: is the test reading the docs?");
    assertEquals(List.of(), broken);
  }
}
