package dev.msbuild.mojo;

/**
 * {@code <builder><secrets><secret>}: a value for the build, from an environment variable of this
 * machine ({@code <env>}) or from the password of a Maven settings.xml {@code <server>}.
 */
public class SecretParameter {
  String id;
  String env;
  String server;
}
