package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** Builder stage, final stage, written to {@code target/msbuild/image.tar} (docker-loadable). */
@Mojo(name = "tar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
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
