package dev.msbuild.config;

/** The log every stage writes to; the Mojos adapt Maven's. */
public interface BuildLog {
  void info(String message);

  void warn(String message);

  void debug(String message);

  BuildLog NONE =
      new BuildLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
      };
}
