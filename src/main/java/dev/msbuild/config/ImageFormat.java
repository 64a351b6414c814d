package dev.msbuild.config;

/** The manifest format of the image: Docker v2.2 (the default, as Jib's) or OCI. */
public enum ImageFormat {
  DOCKER,
  OCI
}
