package dev.msbuild.config;

/** What {@code msbuild:tar} writes: a {@code docker load} archive or an OCI image layout. */
public enum TarFormat {
  DOCKER,
  OCI
}
