package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.JibLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/** Runs Jib's containerize step and maps its failures to messages that name a setting. */
final class JibContainerizing {
  private JibContainerizing() {}

  static Containerizer configure(Containerizer containerizer, Path cacheDirectory, BuildLog log) {
    return containerizer
        .setBaseImageLayersCache(cacheDirectory.resolve("jib").resolve("base"))
        .setApplicationLayersCache(cacheDirectory.resolve("jib").resolve("application"))
        .setToolName("msbuild-maven-plugin")
        .addEventHandler(LogEvent.class, JibLog.to(log));
  }

  static JibContainer run(AssembledImage image, Containerizer containerizer, String target) {
    try {
      return image.jib().containerize(containerizer);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw map(cause, target);
    } catch (RegistryException e) {
      throw map(e, target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MsbuildException("The build was interrupted while publishing " + target + ".", null, "run it again.");
    } catch (IOException | CacheDirectoryCreationException e) {
      throw new MsbuildException(
          "Could not write the image " + target + ": " + e.getMessage(),
          Setting.CACHE_DIRECTORY,
          "check that the cache directory and target/ are writable and the disk has room.",
          e);
    }
  }

  private static MsbuildException map(Throwable cause, String target) {
    if (cause instanceof MsbuildException known) {
      return known;
    }
    if (cause instanceof RegistryUnauthorizedException) {
      return new MsbuildException(
          "The registry refused to let this build push " + target + " (unauthorized or forbidden).",
          Setting.TO_IMAGE,
          "log in to the registry (docker login, or a credential helper in ~/.docker/config.json) "
              + "or push to a repository you may write to.",
          cause);
    }
    if (cause instanceof InsecureRegistryException) {
      return new MsbuildException(
          "The registry of " + target + " does not offer verified HTTPS.",
          Setting.ALLOW_INSECURE_REGISTRIES,
          "use a registry with a valid certificate, or set " + Setting.ALLOW_INSECURE_REGISTRIES
              + " to true for a registry you trust (a local or test registry).",
          cause);
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (cause instanceof java.net.ConnectException || cause.getCause() instanceof java.net.ConnectException) {
      message = "connection refused";
    }
    return new MsbuildException(
        "Could not publish " + target + ": " + message,
        Setting.TO_IMAGE,
        "check that the registry in " + Setting.TO_IMAGE + " is reachable and accepts pushes; for a "
            + "plain-HTTP registry set " + Setting.ALLOW_INSECURE_REGISTRIES + " to true.",
        cause);
  }
}
