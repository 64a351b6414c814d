package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Builds the image (builder stage, final stage) into target/msbuild/image.tar: a docker load archive or an OCI layout. */
@Mojo(name = "tar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class TarMojo extends AbstractMsbuildMojo {
  @Override
  String goal() {
    return "tar";
  }

  @Override
  void run(MultiStageBuild build, BuildLog log) {
    build.writeTar();
  }
}
