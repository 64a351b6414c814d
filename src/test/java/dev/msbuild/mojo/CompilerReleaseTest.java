package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Optional;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

class CompilerReleaseTest {
  private static Xpp3Dom configuration(String name, String value) {
    Xpp3Dom dom = new Xpp3Dom("configuration");
    Xpp3Dom child = new Xpp3Dom(name);
    child.setValue(value);
    dom.addChild(child);
    return dom;
  }

  private static MavenProject project(Plugin compiler, String... properties) {
    Model model = new Model();
    model.setBuild(new Build());
    if (compiler != null) {
      model.getBuild().addPlugin(compiler);
    }
    for (int i = 0; i < properties.length; i += 2) {
      model.getProperties().setProperty(properties[i], properties[i + 1]);
    }
    return new MavenProject(model);
  }

  private static Plugin compiler(Xpp3Dom configuration) {
    Plugin plugin = new Plugin();
    plugin.setGroupId("org.apache.maven.plugins");
    plugin.setArtifactId("maven-compiler-plugin");
    plugin.setConfiguration(configuration);
    return plugin;
  }

  @Test
  void theCompilerPluginsReleaseOrTargetCountsAsTheProperties() {
    assertNull(AbstractMsbuildMojo.compilerRelease(project(null)));
    assertEquals("21", AbstractMsbuildMojo.compilerRelease(project(null, "maven.compiler.release", "21", "maven.compiler.target", "11")));
    assertEquals("11", AbstractMsbuildMojo.compilerRelease(project(null, "maven.compiler.target", "11")));
    // <release> wins over the property, as the plugin decides it.
    assertEquals("17", AbstractMsbuildMojo.compilerRelease(project(compiler(configuration("release", "17")), "maven.compiler.release", "21")));
    // <target> alone: the base follows it, not the JDK's default.
    MavenProject target = project(compiler(configuration("target", "1.8")));
    assertEquals("1.8", AbstractMsbuildMojo.compilerRelease(target));
    assertEquals("eclipse-temurin:8-jre", JavaPlan.defaultBase(Optional.ofNullable(AbstractMsbuildMojo.compilerRelease(target))));
    // A release property still beats a plugin <target>, as release beats target in the compiler.
    assertEquals("21", AbstractMsbuildMojo.compilerRelease(project(compiler(configuration("target", "11")), "maven.compiler.release", "21")));
    // The default-compile execution's configuration counts; an unresolved expression does not.
    Plugin inExecution = compiler(configuration("release", "${no.such.property}"));
    PluginExecution execution = new PluginExecution();
    execution.setId("default-compile");
    execution.setConfiguration(configuration("release", "11"));
    inExecution.addExecution(execution);
    assertEquals("11", AbstractMsbuildMojo.compilerRelease(project(inExecution)));
    assertNull(AbstractMsbuildMojo.compilerRelease(project(compiler(configuration("release", "${no.such.property}")))));
  }
}
