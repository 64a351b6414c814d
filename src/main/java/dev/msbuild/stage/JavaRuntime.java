package dev.msbuild.stage;

import dev.msbuild.image.DynamicLinking;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Java runtime made by jlink in the builder stage.
 *
 * @param home the runtime's directory on this machine ({@code target/msbuild/out/runtime})
 * @param modules the modules linked into it
 * @param javaVersion the builder JDK's version ({@code 25.0.3})
 * @param builder the builder image, as {@code name@digest}
 * @param interpreter the dynamic loader its {@code bin/java} needs, empty when static
 * @param neededLibraries the shared libraries its core (launcher, VM, core natives) needs from the base
 * @param onDemandLibraries libraries other modules load only when used (AWT's libX11, ...)
 */
public record JavaRuntime(
    Path home, List<String> modules, String javaVersion, String builder, Optional<String> interpreter,
    List<String> neededLibraries,
    List<String> onDemandLibraries) {

  public JavaRuntime {
    modules = List.copyOf(modules);
    neededLibraries = List.copyOf(neededLibraries);
    onDemandLibraries = List.copyOf(onDemandLibraries);
  }

  /** The same runtime, moved to {@code newHome}. */
  JavaRuntime withHome(Path newHome) {
    return new JavaRuntime(newHome, modules, javaVersion, builder, interpreter, neededLibraries, onDemandLibraries);
  }

  /** The C library the runtime was linked against, from its loader's name. */
  public String libc() {
    return interpreter.map(DynamicLinking::libcOf).orElse("static");
  }
}
