package dev.msbuild.mojo;

/** {@code <sign>}: the key that signs each pushed image and its attestations, cosign's way. */
public class SignParameters {
  String key;
  String serverId;
}
