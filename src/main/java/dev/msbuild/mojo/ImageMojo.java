package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Builder stage, final stage, push to {@code <to><image>}. */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class ImageMojo extends AbstractMsbuildMojo {
  @Override
  String goal() {
    return "image";
  }

  @Override
  void run(MultiStageBuild build, BuildLog log) {
    build.pushImage();
  }
}
