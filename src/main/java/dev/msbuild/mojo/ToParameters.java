package dev.msbuild.mojo;

import java.util.List;

/** {@code <to>}: where the image goes, and how to log in there. */
public class ToParameters {
  String image;
  List<String> tags;
  AuthParameters auth;
  CredHelperParameters credHelper;
}
