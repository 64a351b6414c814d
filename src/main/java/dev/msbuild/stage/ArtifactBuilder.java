package dev.msbuild.stage;

import dev.msbuild.config.BuildPlan;
import java.util.List;

/** The builder stage: turns the project's source into artifacts, the first being the main one. */
public interface ArtifactBuilder {
  List<Artifact> build(BuildPlan plan);

  /** The builder stage's files after {@link #build}, for copies into the final image. */
  BuilderStageFiles files(BuildPlan plan, List<Artifact> artifacts);
}
