package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** Builder stage, final stage, push to {@code <to><image>}. */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
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
