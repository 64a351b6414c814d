package dev.msbuild.mojo;

import java.util.List;

/** {@code <java><jlink>}: a runtime made by jlink in the builder stage. Present means enabled. */
public class JlinkParameters {
  Boolean enabled;
  List<String> modules;
  List<String> addModules;
  String compress;
}
