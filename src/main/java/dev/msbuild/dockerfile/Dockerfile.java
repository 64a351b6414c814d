package dev.msbuild.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as stages: the ARGs before the first FROM, then each {@code FROM ... [AS name]}
 * with the instructions up to the next. Only instructions this plugin can run are accepted; any
 * other fails naming its line. {@link #needed} says which stages a target needs, in the order they
 * must run: a stage nothing copies from is not run.
 */
public final class Dockerfile {
  /** What the Dockerfile reference lists and this plugin runs. */
  static final Set<String> SUPPORTED = Set.of("FROM", "ARG", "ENV", "WORKDIR", "COPY", "ADD", "RUN", "USER", "EXPOSE", "LABEL",
      "ENTRYPOINT", "CMD", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL");
  private static final Pattern FROM = Pattern.compile("(\\S+)(?:\\s+[Aa][Ss]\\s+(\\S+))?\\s*");
  private static final Pattern STAGE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]*");

  /** A Dockerfile that cannot be built as written: the line, the instruction, and what is wrong. */
  public static final class Invalid extends RuntimeException {
    private final int line;

    Invalid(String file, int line, String message) {
      super(file + " line " + line + ": " + message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  /**
   * One stage.
   *
   * @param index its place, from 0
   * @param name its {@code AS} name in lower case, if it has one
   * @param from the FROM instruction
   * @param base what it starts from, ARGs substituted: an image reference, {@code scratch}, or an earlier stage's name
   * @param instructions what follows its FROM
   */
  public record Stage(int index, Optional<String> name, Instruction from, String base, List<Instruction> instructions) {
    public Stage {
      instructions = List.copyOf(instructions);
    }

    /** How messages name it: its name, else its index. */
    public String label() {
      return name.orElse(Integer.toString(index));
    }
  }

  private final String file;
  private final List<Stage> stages;
  private final Map<String, String> globalArgs;

  private Dockerfile(String file, List<Stage> stages, Map<String, String> globalArgs) {
    this.file = file;
    this.stages = List.copyOf(stages);
    this.globalArgs = Map.copyOf(globalArgs);
  }

  /**
   * Reads {@code text} (named {@code file} in messages) with {@code buildArgs} for the ARGs
   * before the first FROM.
   */
  public static Dockerfile read(String file, String text, Map<String, String> buildArgs) {
    return read(file, text, buildArgs, Map.of());
  }

  /**
   * As {@link #read(String, String, Map)}, with {@code predefined} ARGs (TARGETPLATFORM,
   * BUILDARCH, ...) that FROM lines may use without declaring them.
   */
  public static Dockerfile read(String file, String text, Map<String, String> buildArgs, Map<String, String> predefined) {
    List<Instruction> instructions;
    try {
      instructions = DockerfileParser.parse(text);
    } catch (DockerfileParser.SyntaxError e) {
      throw new Invalid(file, e.line(), e.getMessage());
    }
    Map<String, String> args = new LinkedHashMap<>(predefined);
    List<Stage> stages = new ArrayList<>();
    Instruction from = null;
    String base = null;
    Optional<String> name = Optional.empty();
    List<Instruction> body = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (Instruction in : instructions) {
      if (!SUPPORTED.contains(in.keyword())) {
        throw new Invalid(file, in.line(), in.keyword() + " is not supported (supported: "
            + String.join(", ", SUPPORTED.stream().sorted().toList()) + ")");
      }
      if (in.keyword().equals("FROM")) {
        if (from != null) {
          stages.add(new Stage(stages.size(), name, from, base, body));
        }
        Matcher m = FROM.matcher(in.text());
        if (!m.matches()) {
          throw new Invalid(file, in.line(), "FROM " + in.text() + ": expected FROM [--platform=...] image [AS name]");
        }
        from = in;
        base = Substitution.expand(m.group(1), args, '\\', in.line());
        name = Optional.ofNullable(m.group(2)).map(n -> n.toLowerCase(Locale.ROOT));
        if (name.isPresent()) {
          if (!STAGE_NAME.matcher(name.get()).matches()) {
            throw new Invalid(file, in.line(), "FROM ... AS " + name.get() + ": a stage name starts with a letter and has letters, digits, '_', '.' and '-'");
          }
          if (names.put(name.get(), stages.size()) != null) {
            throw new Invalid(file, in.line(), "FROM ... AS " + name.get() + ": another stage has that name");
          }
        }
        body = new ArrayList<>();
      } else if (from == null) {
        if (!in.keyword().equals("ARG")) {
          throw new Invalid(file, in.line(), in.keyword() + " before the first FROM (only ARG may come before it)");
        }
        for (Map.Entry<String, Optional<String>> arg : argument(file, in).entrySet()) {
          args.put(arg.getKey(), buildArgs.containsKey(arg.getKey()) ? buildArgs.get(arg.getKey()) : arg.getValue().orElse(""));
        }
      } else {
        body.add(in);
      }
    }
    if (from == null) {
      throw new Invalid(file, 1, "no FROM: a Dockerfile has at least one stage");
    }
    stages.add(new Stage(stages.size(), name, from, base, body));
    return new Dockerfile(file, stages, args);
  }

  /**
   * An ARG's names and defaults, {@code ARG A=1 B="two words"}, before the first FROM or in a
   * stage: a default is one word, quotes and escapes read as in any instruction's words.
   */
  public static Map<String, Optional<String>> argument(String file, Instruction in) {
    Map<String, Optional<String>> args = new LinkedHashMap<>();
    for (String word : in.text().trim().split("\\s+")) {
      if (word.isEmpty()) {
        throw new Invalid(file, in.line(), "ARG names no variable");
      }
      int eq = word.indexOf('=');
      String key = eq < 0 ? word : word.substring(0, eq);
      args.put(key, eq < 0 ? Optional.empty()
          : Optional.of(Arguments.words(word.substring(eq + 1), Map.of(), in.line()).stream().findFirst().orElse("")));
    }
    return args;
  }

  public String file() {
    return file;
  }

  public List<Stage> stages() {
    return stages;
  }

  /** The ARGs before the first FROM, with the build arguments applied. */
  public Map<String, String> globalArgs() {
    return globalArgs;
  }

  /** The stage {@code target} names (its name or index), or the last. */
  public Stage target(Optional<String> target) {
    if (target.isEmpty()) {
      return stages.get(stages.size() - 1);
    }
    String wanted = target.get().toLowerCase(Locale.ROOT);
    return stage(wanted).orElseThrow(() -> new IllegalArgumentException(
        "No stage " + target.get() + " in " + file + " (stages: " + String.join(", ", stages.stream().map(Stage::label).toList()) + ")"));
  }

  /** The stage of that name, or of that index. */
  public Optional<Stage> stage(String reference) {
    String ref = reference.toLowerCase(Locale.ROOT);
    for (Stage s : stages) {
      if (s.name().map(ref::equals).orElse(false)) {
        return Optional.of(s);
      }
    }
    if (ref.matches("[0-9]+")) {
      int index = Integer.parseInt(ref);
      return index < stages.size() ? Optional.of(stages.get(index)) : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The stages {@code target} needs, each before the stages that use it, {@code target} last: those
   * it starts FROM, copies {@code --from}, or mounts {@code from=} in a RUN, and theirs in turn.
   * A {@code --from} that is no stage is an image, and needs none.
   */
  public List<Stage> needed(Stage target) {
    Set<Integer> order = new LinkedHashSet<>();
    visit(target, order, new LinkedHashSet<>());
    return order.stream().map(stages::get).toList();
  }

  private void visit(Stage stage, Set<Integer> done, Set<Integer> path) {
    if (done.contains(stage.index())) {
      return;
    }
    path.add(stage.index());
    for (String ref : references(stage)) {
      Optional<Stage> used = stage(ref).filter(s -> s.index() < stage.index() || !ref.matches("[0-9]+"));
      if (used.isPresent()) {
        if (used.get().index() >= stage.index()) {
          throw new Invalid(file, stage.from().line(), "stage " + stage.label() + " uses stage " + used.get().label()
              + ", which comes after it");
        }
        visit(used.get(), done, path);
      }
    }
    path.remove(stage.index());
    done.add(stage.index());
  }

  /** What a stage names of others: its base, every COPY/ADD --from, every RUN --mount from=. */
  static List<String> references(Stage stage) {
    List<String> refs = new ArrayList<>();
    refs.add(stage.base());
    for (Instruction in : stage.instructions()) {
      if (in.keyword().equals("COPY") || in.keyword().equals("ADD")) {
        in.flag("from").ifPresent(refs::add);
      }
      if (in.keyword().equals("RUN")) {
        for (String mount : in.flags("mount")) {
          for (String part : mount.split(",")) {
            if (part.startsWith("from=")) {
              refs.add(part.substring(5));
            }
          }
        }
      }
    }
    return refs;
  }

  /**
   * Fails on a {@code --from} that names neither a stage nor something that could be an image:
   * {@code Dockerfile line 9: COPY --from=buildado: no stage or image of that name (stages: buildando)}.
   *
   * @param isImage whether a reference that is no stage names an image that exists
   */
  public void checkReferences(List<Stage> needed, java.util.function.Predicate<String> isImage) {
    for (Stage stage : needed) {
      for (Instruction in : stage.instructions()) {
        Optional<String> from = in.keyword().equals("COPY") || in.keyword().equals("ADD") ? in.flag("from") : Optional.empty();
        if (from.isPresent() && stage(from.get()).isEmpty() && !isImage.test(from.get())) {
          throw new Invalid(file, in.line(), in.keyword() + " --from=" + from.get() + ": no stage or image of that name (stages: "
              + String.join(", ", stages.stream().filter(s -> s.index() < stage.index()).map(Stage::label).toList()) + ")");
        }
      }
    }
  }
}
