package dev.msbuild.mojo;

/** {@code <from>}: the base image of the final stage. */
public class FromParameters {
  String image;
}
