package dev.msbuild.registry;

import java.util.List;
import java.util.TreeSet;

/**
 * What a request needs the token to allow: pull (or pull and push) on one repository, and pull on
 * the repositories blobs are mounted from.
 */
record Scope(String repository, boolean push, List<String> mountFrom) {
  Scope {
    mountFrom = List.copyOf(new TreeSet<>(mountFrom));
  }

  static Scope pull(String repository) {
    return new Scope(repository, false, List.of());
  }

  static Scope push(String repository, List<String> mountFrom) {
    return new Scope(repository, true, mountFrom);
  }

  /** The token service's scope parameters, in a fixed order. */
  List<String> parameters() {
    List<String> scopes = new java.util.ArrayList<>();
    scopes.add("repository:" + repository + ":" + (push ? "pull,push" : "pull"));
    mountFrom.stream().filter(r -> !r.equals(repository)).forEach(r -> scopes.add("repository:" + r + ":pull"));
    return scopes;
  }

  String key() {
    return String.join(" ", parameters());
  }
}
