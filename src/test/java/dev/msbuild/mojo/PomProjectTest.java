package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.maven.model.License;
import org.apache.maven.model.Model;
import org.apache.maven.model.Scm;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PomProjectTest {
  @TempDir Path dir;

  private static Model model(String artifactId, String description, String url, String license, String scm) {
    Model model = new Model();
    model.setGroupId("org.example");
    model.setArtifactId(artifactId);
    model.setVersion("1.0");
    model.setDescription(description);
    model.setUrl(url);
    if (license != null) {
      License l = new License();
      l.setName(license);
      model.addLicense(l);
    }
    if (scm != null) {
      Scm s = new Scm();
      s.setUrl(scm);
      model.setScm(s);
    }
    return model;
  }

  /** A project as Maven builds it: the effective model (inherited values filled in) and the pom as written. */
  private MavenProject project(Model effective, Model original, MavenProject parent) {
    MavenProject project = new MavenProject(effective);
    project.setOriginalModel(original);
    project.setParent(parent);
    project.setFile(new File(dir.toFile(), "pom.xml"));
    return project;
  }

  @Test
  void whatOnlyARepositoryParentDeclaresIsNotTheImages() {
    String parentDescription = "Parent pom providing dependency and plugin management for applications built with Maven";
    Model parentModel = model("spring-boot-starter-parent", parentDescription, "https://spring.io/projects/spring-boot",
        "Apache License, Version 2.0", "https://github.com/spring-projects/spring-boot");
    MavenProject parent = project(parentModel, parentModel.clone(), null);
    // Maven's inheritance gives the child the parent's description, license, and URLs with the artifactId appended.
    Model effective = model("app", parentDescription, "https://spring.io/projects/spring-boot/app",
        "Apache License, Version 2.0", "https://github.com/spring-projects/spring-boot/app");
    effective.setName("app");
    Model original = model("app", null, null, null, null);
    PomLabels.Project labels = AbstractMsbuildMojo.pomProject(project(effective, original, parent), Set.of(), null);
    assertNull(labels.description());
    assertNull(labels.url());
    assertNull(labels.scmUrl());
    assertNull(labels.name());
    assertEquals(List.of(), labels.licenses());
    assertEquals("app", labels.artifactId());

    // What the project declares itself is taken, interpolated.
    Model own = model("app", "My service", "https://example.com/app", "MIT", "https://git.example.com/app");
    own.setName("My App");
    PomLabels.Project declared = AbstractMsbuildMojo.pomProject(project(own, own.clone(), parent), Set.of(), null);
    assertEquals("My service", declared.description());
    assertEquals("My App", declared.name());
    assertEquals("https://example.com/app", declared.url());
    assertEquals("https://git.example.com/app", declared.scmUrl());
    assertEquals(List.of("MIT"), declared.licenses());
  }

  @Test
  void aParentInTheSameBuildIsTheProjectsOwn() {
    Model rootModel = model("root", "The team's services", "https://example.com/root", "MIT", "https://git.example.com/root");
    MavenProject root = project(rootModel, rootModel.clone(), null);
    Model effective = model("svc", "The team's services", "https://example.com/root/svc", "MIT", "https://git.example.com/root/svc");
    MavenProject svc = project(effective, model("svc", null, null, null, null), root);
    PomLabels.Project labels = AbstractMsbuildMojo.pomProject(svc, Set.of(root.getId(), "org.example:svc:jar:1.0"), null);
    assertEquals("The team's services", labels.description());
    assertEquals("https://example.com/root/svc", labels.url());
    assertEquals("https://git.example.com/root/svc", labels.scmUrl());
    assertEquals(List.of("MIT"), labels.licenses());
  }
}
