package dev.msbuild.mojo;

import java.util.List;

/** {@code <to>}: where the image goes. */
public class ToParameters {
  String image;
  List<String> tags;
}
