package dev.msbuild.mojo;

/** {@code <tar>}: what {@code msbuild:tar} writes. */
public class TarParameters {
  String format;
}
