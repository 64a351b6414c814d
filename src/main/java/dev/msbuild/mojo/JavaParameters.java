package dev.msbuild.mojo;

import java.util.List;

/** {@code <java>}: a Java project's image. Fields are injected by Maven. */
public class JavaParameters {
  String mainClass;
  List<String> jvmFlags;
  String mode;
  JlinkParameters jlink;
}
