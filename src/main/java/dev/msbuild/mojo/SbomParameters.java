package dev.msbuild.mojo;

/** {@code <sbom>}: the SBOM attached to each pushed image. */
public class SbomParameters {
  String format;
}
