package dev.msbuild.dockerfile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One instruction of a Dockerfile, as written: its keyword (upper case), its {@code --flags}, and
 * its arguments either in exec form (a JSON array) or as the shell-form text, with the here-documents
 * that follow it.
 *
 * @param line the line the instruction starts on, 1-based, for messages
 * @param keyword {@code FROM}, {@code RUN}, ... in upper case
 * @param flags {@code --name=value} flags before the arguments, in order (a flag without a value maps to "")
 * @param text the arguments after the flags, as one line (continuations joined), before any substitution
 * @param exec the arguments in exec form, when they are a JSON array of strings
 * @param heredocs the here-documents the arguments name, in order
 */
public record Instruction(
    int line, String keyword, List<Flag> flags, String text, Optional<List<String>> exec, List<Heredoc> heredocs) {
  public Instruction {
    flags = List.copyOf(flags);
    heredocs = List.copyOf(heredocs);
    exec = exec.map(List::copyOf);
  }

  /** A {@code --name=value} flag. */
  public record Flag(String name, String value) {}

  /**
   * A here-document: {@code <<EOF} (or {@code <<-EOF}, leading tabs removed; {@code <<"EOF"}, no
   * substitution in it).
   */
  public record Heredoc(String name, String content, boolean expand) {}

  /** The value of the last {@code --name} flag, if given. */
  public Optional<String> flag(String name) {
    Optional<String> value = Optional.empty();
    for (Flag f : flags) {
      if (f.name().equals(name)) {
        value = Optional.of(f.value());
      }
    }
    return value;
  }

  /** Every value of {@code --name}, in order (RUN may have several {@code --mount}). */
  public List<String> flags(String name) {
    return flags.stream().filter(f -> f.name().equals(name)).map(Flag::value).toList();
  }

  /** How messages name it: {@code Dockerfile line 9: COPY --from=buildado}. */
  public String where(String file) {
    return file + " line " + line + ": " + keyword;
  }

  /** Flags as a map, the last of each name winning. */
  public Map<String, String> flagMap() {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    flags.forEach(f -> map.put(f.name(), f.value()));
    return map;
  }
}
