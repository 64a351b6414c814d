package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import dev.msbuild.stage.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Runs the builder stage alone; the artifacts land in target/msbuild/. */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BuildMojo extends AbstractMsbuildMojo {
  @Override
  String goal() {
    return "build";
  }

  @Override
  void run(MultiStageBuild build, BuildLog log) {
    for (Artifact artifact : build.buildArtifacts()) {
      log.info("Artifact: " + artifact.file() + " (" + artifact.platform() + ")");
    }
  }
}
