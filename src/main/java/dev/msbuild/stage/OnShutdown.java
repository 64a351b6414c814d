package dev.msbuild.stage;

/**
 * Work for the JVM to do if it is stopped (SIGTERM, Ctrl-C, System.exit) while a build step is
 * running: {@link #close()} at the end of the step deregisters it. A kill -9 runs no hook; what
 * it leaves is found by the next build ({@link OwnedPaths}) or dies with the JVM ({@link ParentDeath}).
 */
final class OnShutdown implements AutoCloseable {
  private final Thread hook;

  private OnShutdown(Thread hook) {
    this.hook = hook;
  }

  static OnShutdown run(String name, Runnable action) {
    Thread hook = new Thread(action, name);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the step's own cleanup is all there will be.
      return new OnShutdown(null);
    }
    return new OnShutdown(hook);
  }

  @Override
  public void close() {
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook runs (or ran): nothing to deregister.
    }
  }
}
