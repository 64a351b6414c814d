package dev.msbuild.mojo;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a test bed build takes from a project of ours, as the Mojos would pass it: no pom settings. */
final class TestBedProject {
  private TestBedProject() {}

  /** A Go project in {@code basedir}, its outputs in target/msbuild, the given cache. */
  static PlanFactory.Inputs inputs(Path basedir, String artifactId, Path cache) {
    return inputs(basedir, artifactId, cache, null);
  }

  /** @param java the Java project, or null for a Go one */
  static PlanFactory.Inputs inputs(Path basedir, String artifactId, Path cache, JavaPlan.Project java) {
    return new PlanFactory.Inputs(
        null, null, null, null, null, false, null, cache, basedir, basedir.resolve("target/msbuild"),
        artifactId, "1.0", System::getenv, id -> Optional.empty(), null,
        new FinalStagePlan.Parameters(null, false, false, null, null), null, false,
        id -> Optional.empty(),
        new PomLabels.Project(null, artifactId, null, "1.0", null, null, List.of(), null, basedir), null, java);
  }
}
