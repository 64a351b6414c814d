package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UserPropertiesTest {
  private static Properties of(String... keyValues) {
    Properties props = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  @Test
  void theCommandLineThenSystemPropertiesThenTheProject() {
    Properties cli = of("msbuild.to.image", "cli/app");
    Properties system = of("msbuild.to.image", "system/app", "msbuild.skip", "true");
    Properties project = of("msbuild.to.image", "project/app", "msbuild.skip", "false", "msbuild.platform", "linux/arm64");
    UserProperties props = new UserProperties(cli, system, project);
    assertEquals("cli/app", props.string(Setting.TO_IMAGE, "pom/app"));
    // MAVEN_OPTS=-Dmsbuild.skip=true reaches the JVM's system properties, and wins over the project's.
    assertTrue(props.bool(Setting.SKIP, false));
    assertEquals("linux/arm64", props.string(Setting.PLATFORM, null));
    assertEquals("pom", new UserProperties(null, null, null).string(Setting.TO_IMAGE, "pom"));
  }

  @Test
  void listsSplitOnCommasOutsideAWholeQuotedItem() {
    assertEquals(List.of("-tags=a", "b"), UserProperties.split("-tags=a,b"));
    assertEquals(List.of("-tags=a,b", "-v"), UserProperties.split("\"-tags=a,b\",-v"));
    assertEquals(List.of("-tags=a,b", " -v"), UserProperties.split("'-tags=a,b' , -v"));
    assertEquals(List.of("-tags=a,b", "-v"), UserProperties.split("-tags=a\\,b,-v"));
    assertEquals(List.of("a\\b"), UserProperties.split("a\\\\b"));
    assertEquals(List.of("it's", "ok"), UserProperties.split("it's,ok"));
    assertEquals(List.of("\"half", "open"), UserProperties.split("\"half,open"));
    assertEquals(List.of("a", "", "b"), UserProperties.split("a,,b"));
    UserProperties props = new UserProperties(of("msbuild.builder.flags", "\"-tags=a,b\",-trimpath"), null);
    assertEquals(List.of("-tags=a,b", "-trimpath"), props.list(Setting.BUILDER_FLAGS, List.of()));
  }

  @Test
  void mapsTakeQuotedOrEscapedCommas() {
    UserProperties props = new UserProperties(of("msbuild.container.environment", "A=1,\"B=x,y\",C=p\\,q"), null);
    assertEquals(Map.of("A", "1", "B", "x,y", "C", "p,q"), props.map(Setting.CONTAINER_ENVIRONMENT, Map.of()));
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> new UserProperties(of("msbuild.container.environment", "A=x,y"), null).map(Setting.CONTAINER_ENVIRONMENT, Map.of()));
    assertTrue(e.getMessage().contains("'y'"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dmsbuild.container.environment"), e.getMessage());
  }
}
