package dev.msbuild.mojo;

import java.util.List;

/** {@code <extraDirectories>}: project directories copied into the image, as in Jib. */
public class ExtraDirectoriesParameters {
  List<PathParameter> paths;
  List<PermissionParameter> permissions;

  /** {@code <path>}: either {@code <path>dir</path>} or {@code <path><from>dir</from><into>/x</into></path>}. */
  public static class PathParameter {
    String from;
    String into;

    /** Called by Maven for the short form {@code <path>dir</path>}. */
    public void set(String from) {
      this.from = from;
    }
  }

  /** {@code <permission>}: a glob over image paths and the mode and owner it gets. */
  public static class PermissionParameter {
    String file;
    String mode;
    String owner;
  }
}
