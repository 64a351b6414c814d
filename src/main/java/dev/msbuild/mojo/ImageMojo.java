package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Builds the image (builder stage, final stage) and pushes it to the registry of &lt;to&gt;&lt;image&gt;, then reads every tag back. */
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
