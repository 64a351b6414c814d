package dev.msbuild.mojo;

/** {@code <cache>}: a registry repository that every runner's builds share as their cache. */
public class CacheParameters {
  String registry;
  String mode;
  String maxBytes;
  AuthParameters auth;
  CredHelperParameters credHelper;
}
