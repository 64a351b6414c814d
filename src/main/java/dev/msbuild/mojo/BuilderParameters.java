package dev.msbuild.mojo;

import java.util.List;
import java.util.Map;

/** {@code <builder>}: the builder stage. Fields are injected by Maven. */
public class BuilderParameters {
  String image;
  String toolchain;
  String mainPackage;
  String output;
  List<String> flags;
  String ldflags;
  Boolean strip;
  Map<String, String> env;
  String isolation;
  String sandbox;
  String command;
  List<String> outputs;
  Boolean network;
  Integer timeout;
  List<SecretParameter> secrets;
  Long maxEntries;
  String maxBytes;
}
