package dev.msbuild.stage;

import dev.msbuild.dockerfile.DockerfileParser;
import dev.msbuild.dockerfile.Instruction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One {@code RUN --mount}: {@code type=cache,target=...[,id=...]} (a directory kept between
 * builds), {@code type=secret,id=...[,target=...]} (a secret of {@code <builder><secrets>}, read
 * only) or {@code type=bind,target=...[,source=...][,rw]} (a path of the build context).
 *
 * @param id the cache's or the secret's id
 * @param source a bind's path in the context
 */
record RunMount(String type, String target, String id, String source, boolean readOnly) {

  /** {@code text} of {@code --mount=text}; {@code absolute} makes a target relative to the working directory absolute. */
  static RunMount parse(String text, Instruction in, UnaryOperator<String> absolute) {
    Map<String, String> o = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      o.put(eq < 0 ? part.trim() : part.substring(0, eq).trim(), eq < 0 ? "true" : part.substring(eq + 1).trim());
    }
    String type = o.getOrDefault("type", "bind");
    String target = o.getOrDefault("target", o.getOrDefault("dst", o.get("destination")));
    switch (type) {
      case "cache" -> {
        if (target == null) {
          throw new DockerfileParser.SyntaxError(in.line(), "RUN --mount=type=cache needs target=");
        }
        return new RunMount(type, absolute.apply(target), o.getOrDefault("id", absolute.apply(target)), null, false);
      }
      case "secret" -> {
        String id = o.get("id");
        if (id == null) {
          throw new DockerfileParser.SyntaxError(in.line(), "RUN --mount=type=secret needs id=");
        }
        return new RunMount(type, target == null ? "/run/secrets/" + id : absolute.apply(target), id, null, true);
      }
      case "bind" -> {
        if (target == null) {
          throw new DockerfileParser.SyntaxError(in.line(), "RUN --mount=type=bind needs target=");
        }
        if (o.containsKey("from")) {
          throw new DockerfileParser.SyntaxError(in.line(), "RUN --mount=type=bind,from= is not supported yet; COPY --from first");
        }
        return new RunMount(type, absolute.apply(target), null, o.getOrDefault("source", "."), !"true".equals(o.get("rw")));
      }
      default -> throw new DockerfileParser.SyntaxError(in.line(), "RUN --mount=type=" + type
          + " is not supported (supported: cache, secret, bind)");
    }
  }
}
