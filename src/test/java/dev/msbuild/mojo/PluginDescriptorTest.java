package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What {@code mvn help:describe} and {@code mvn msbuild:help -Ddetail} show: every goal described,
 * and every nested setting ({@code <builder><mainPackage>}, {@code <to><auth><username>}, ...)
 * named in the description of the parameter that holds it, since Maven's descriptor has no
 * entries of its own for nested ones.
 */
class PluginDescriptorTest {
  private static final Path DESCRIPTOR =
      Path.of(System.getProperty("basedir", ".")).resolve("target/classes/META-INF/maven/plugin.xml");

  @Test
  void everyGoalAndEveryNestedSettingIsDescribed() throws Exception {
    assertTrue(Files.isRegularFile(DESCRIPTOR), DESCRIPTOR + " is missing: run through mvn, which generates it");
    var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
    NodeList mojos = document.getElementsByTagName("mojo");
    List<String> goals = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      String goal = text(mojo, "goal");
      goals.add(goal);
      String description = text(mojo, "description");
      assertTrue(description.length() > 20 && !description.contains(" .") && !description.contains("()"),
          goal + ": '" + description + "'");
      if (goal.equals("help")) {
        continue;
      }
      Map<String, String> parameters = parameters(mojo);
      for (Field field : fields(AbstractMsbuildMojo.class)) {
        Class<?> type = elementType(field.getGenericType());
        if (!type.getPackageName().equals("dev.msbuild.mojo")) {
          continue;
        }
        String described = parameters.getOrDefault(field.getName(), "");
        assertFalse(described.isBlank(), goal + ": parameter " + field.getName() + " has no description");
        for (String nested : nestedNames(type)) {
          if (!described.contains(nested)) {
            missing.add(goal + ": <" + field.getName() + "> does not describe " + nested);
          }
        }
      }
    }
    assertEquals(List.of("build", "help", "image", "tar"), goals.stream().sorted().toList());
    assertEquals(List.of(), missing);
  }

  /** The fields of a parameter class and of the classes it holds, recursively. */
  private static List<String> nestedNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Field field : fields(type)) {
      names.add(field.getName());
      Class<?> inner = elementType(field.getGenericType());
      if (inner.getPackageName().equals("dev.msbuild.mojo")) {
        names.addAll(nestedNames(inner));
      }
    }
    return names;
  }

  private static List<Field> fields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        fields.add(f);
      }
    }
    return fields;
  }

  private static Class<?> elementType(Type type) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
        && p.getActualTypeArguments()[0] instanceof Class<?> element) {
      return element;
    }
    return type instanceof Class<?> c ? c : Object.class;
  }

  private static Map<String, String> parameters(Element mojo) {
    Map<String, String> parameters = new TreeMap<>();
    NodeList list = mojo.getElementsByTagName("parameter");
    for (int i = 0; i < list.getLength(); i++) {
      Element parameter = (Element) list.item(i);
      if (parameter.getElementsByTagName("name").getLength() > 0) {
        parameters.put(text(parameter, "name"), text(parameter, "description"));
      }
    }
    return parameters;
  }

  private static String text(Element element, String tag) {
    NodeList nodes = element.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
  }
}
