package dev.msbuild.pipeline;

import dev.msbuild.config.BuildLog;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a separate JVM by {@link ProjectLockTest}: holds a project's lock until a file appears. */
public final class HoldLockInChildJvm {
  private HoldLockInChildJvm() {}

  public static void main(String[] args) {
    Path release = Path.of(args[1]);
    ProjectLock.holding(Path.of(args[0]), BuildLog.NONE, () -> {
      System.out.println("holding");
      System.out.flush();
      while (!Files.exists(release)) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return null;
        }
      }
      return null;
    });
  }
}
