package dev.msbuild.stage;

import dev.msbuild.config.BuildPlan;

/** The builder stage: turns the project's source into an artifact. */
public interface ArtifactBuilder {
  Artifact build(BuildPlan plan);
}
