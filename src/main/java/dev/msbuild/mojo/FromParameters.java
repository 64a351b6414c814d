package dev.msbuild.mojo;

/** {@code <from>}: the base image of the final stage, and how to log in to its registry. */
public class FromParameters {
  String image;
  AuthParameters auth;
  CredHelperParameters credHelper;
}
