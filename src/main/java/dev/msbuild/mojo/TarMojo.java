package dev.msbuild.mojo;

import dev.msbuild.config.BuildLog;
import dev.msbuild.pipeline.MultiStageBuild;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** Builder stage, final stage, written to {@code target/msbuild/image.tar} (docker-loadable). */
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
