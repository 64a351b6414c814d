package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.image.AssembledImage;
import dev.msbuild.image.JibLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/** Runs Jib's containerize step, logs its progress, and maps its failures to messages that name a setting. */
final class JibContainerizing {
  private JibContainerizing() {}

  /** Turns a registry's 401/403 into a message; the publisher knows which credentials it sent. */
  @FunctionalInterface
  interface Unauthorized {
    MsbuildException map(RegistryUnauthorizedException e);

    /** Credentials withheld because the registry speaks plain HTTP. */
    default MsbuildException notSent(RegistryCredentialsNotSentException e) {
      return new MsbuildException("Credentials were not sent over plain HTTP.", Setting.SEND_CREDENTIALS_OVER_HTTP,
          "set " + Setting.SEND_CREDENTIALS_OVER_HTTP + " to true for a registry you trust.", e);
    }
  }

  static Containerizer configure(Containerizer containerizer, Path cacheDirectory, BuildLog log) {
    return containerizer
        .setBaseImageLayersCache(cacheDirectory.resolve("jib").resolve("base"))
        .setApplicationLayersCache(cacheDirectory.resolve("jib").resolve("application"))
        .setToolName("msbuild-maven-plugin")
        .addEventHandler(LogEvent.class, JibLog.to(log));
  }

  static JibContainer run(AssembledImage image, Containerizer containerizer, String target, BuildLog log) {
    return run(image, containerizer, target,
        e -> new MsbuildException(
            "Access to " + target + " was refused.", Setting.TO_AUTH, "log in to the registry.", e),
        log);
  }

  static JibContainer run(
      AssembledImage image, Containerizer containerizer, String target, Unauthorized unauthorized, BuildLog log) {
    containerizer.addEventHandler(ProgressEvent.class, new ProgressEventHandler(progressLogger(target, log)));
    try {
      return image.jib().containerize(containerizer);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw map(cause, target, unauthorized);
    } catch (RegistryException e) {
      throw map(e, target, unauthorized);
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

  /** One line per fifth of the work, so a slow push shows it is moving without flooding the log. */
  private static java.util.function.Consumer<ProgressEventHandler.Update> progressLogger(String target, BuildLog log) {
    int[] logged = {0};
    return update -> {
      int fifths = (int) Math.floor(update.getProgress() * 5 + 1e-9);
      synchronized (logged) {
        if (fifths > logged[0] && fifths < 5) {
          logged[0] = fifths;
          log.info("Publishing " + target + ": " + fifths * 20 + "%");
        }
      }
    };
  }

  private static MsbuildException map(Throwable cause, String target, Unauthorized unauthorized) {
    if (cause instanceof MsbuildException known) {
      return known;
    }
    if (cause instanceof RegistryUnauthorizedException refused) {
      return unauthorized.map(refused);
    }
    if (cause instanceof RegistryCredentialsNotSentException notSent) {
      return unauthorized.notSent(notSent);
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
    } else if (cause instanceof java.net.UnknownHostException || cause.getCause() instanceof java.net.UnknownHostException) {
      message = "unknown host";
    }
    return new MsbuildException(
        "Could not publish " + target + ": " + message,
        Setting.TO_IMAGE,
        "check that the registry in " + Setting.TO_IMAGE + " is reachable and accepts pushes; for a "
            + "plain-HTTP registry set " + Setting.ALLOW_INSECURE_REGISTRIES + " to true.",
        cause);
  }
}
