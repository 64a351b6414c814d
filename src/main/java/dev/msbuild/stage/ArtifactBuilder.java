package dev.msbuild.stage;

import dev.msbuild.config.BuildPlan;
import java.util.List;

/** The builder stage: turns the project's source into artifacts, the first being the main one. */
public interface ArtifactBuilder {
  List<Artifact> build(BuildPlan plan);
}
