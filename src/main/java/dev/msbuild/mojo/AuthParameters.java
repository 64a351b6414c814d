package dev.msbuild.mojo;

/** {@code <auth>}: a registry username and password given in the pom (prefer settings.xml). */
public class AuthParameters {
  String username;
  String password;
}
