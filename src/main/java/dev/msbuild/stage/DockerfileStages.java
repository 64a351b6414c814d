package dev.msbuild.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.cache.StageCache;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.DockerfileSpec;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.dockerfile.Arguments;
import dev.msbuild.dockerfile.DockerIgnore;
import dev.msbuild.dockerfile.Dockerfile;
import dev.msbuild.dockerfile.DockerfileParser;
import dev.msbuild.dockerfile.Instruction;
import dev.msbuild.dockerfile.Substitution;
import dev.msbuild.image.AppLayer;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.ImageContents;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.image.LayerEntry;
import dev.msbuild.image.PulledImage;
import dev.msbuild.oci.ManifestCodec;
import dev.msbuild.rootfs.LayerUnpacker;
import dev.msbuild.rootfs.RootPaths;
import dev.msbuild.rootfs.RootfsCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Dockerfile's stages, run here: each needed stage in order, from its image (pulled and
 * unpacked once into the cache), from scratch, or from an earlier stage. As BuildKit does, every
 * instruction that changes files makes a layer, keyed by what it depends on (the stage so far,
 * the instruction, the files it copies, the ARGs it sees) and kept in the stage cache: an
 * unchanged instruction is not run again, and a stage whose instructions all hit is not even
 * unpacked. A stage's root is made only when an instruction must run in it or another stage
 * copies from it: a copy of its image's root with its layers applied. RUN changes that root in
 * place, in the sandbox, and what it changed becomes the layer ({@link TreeSnapshot}).
 */
public final class DockerfileStages {
  private static final String TEMP = ".msbuild-dockerfile-";

  /** One layer of the target stage: written, and the instruction it came from. */
  public record StageLayer(AppLayer layer, String createdBy) {}

  /**
   * The target stage as an image.
   *
   * @param base the image its first ancestor starts FROM, with its layers; empty for scratch
   * @param layers the layers its instructions (and its ancestors') made, in order
   * @param container the image config's {@code config} object as the instructions left it
   * @param packageFiles the target's package databases and os-release ({@link ImageContents#PACKAGE_FILES}), for its SBOM
   */
  public record Result(Optional<PulledImage> base, List<StageLayer> layers, ObjectNode container, Map<String, byte[]> packageFiles) {}

  private final ImagePuller puller;
  private Sandbox sandbox;
  private final BuilderImages images;
  private final StageCache cache;
  private final BuildLog log;

  public DockerfileStages(ImagePuller puller, BlobStore blobs, RootfsCache roots, StageCache cache, BuildLog log) {
    this.puller = puller;
    this.images = new BuilderImages(puller, blobs, roots, log);
    this.cache = cache;
    this.log = log;
  }

  /** The sandbox RUN uses, found on first use. */
  private synchronized Sandbox sandbox(BuildPlan plan) {
    if (sandbox == null) {
      sandbox = Sandboxes.pick(plan.builder().sandbox(), log);
      log.info("RUN instructions run in a sandbox via " + sandbox.name());
    }
    return sandbox;
  }

  /** Predefined platform ARGs, as BuildKit sets them: TARGETPLATFORM, TARGETOS, ..., BUILDARCH. */
  public static Map<String, String> platformArgs(Platform target) {
    Map<String, String> args = new LinkedHashMap<>();
    put(args, "TARGET", target);
    put(args, "BUILD", Platform.host());
    return args;
  }

  private static void put(Map<String, String> args, String prefix, Platform p) {
    args.put(prefix + "PLATFORM", p.toString());
    args.put(prefix + "OS", p.os());
    args.put(prefix + "ARCH", p.architecture());
    args.put(prefix + "VARIANT", p.variant() == null ? "" : p.variant());
  }

  /** Runs what {@code spec}'s target needs and returns the target. */
  public Result build(BuildPlan plan, DockerfileSpec spec) {
    Dockerfile dockerfile;
    try {
      dockerfile = Dockerfile.read(spec.displayName(), spec.text(), spec.buildArgs(), platformArgs(plan.platform()));
    } catch (Dockerfile.Invalid e) {
      throw invalid(e);
    }
    Dockerfile.Stage target;
    try {
      target = dockerfile.target(spec.target());
    } catch (IllegalArgumentException e) {
      throw new MsbuildException(e.getMessage() + ".", Setting.DOCKERFILE_TARGET, "name one of the stages, by its AS name or its number.");
    }
    List<Dockerfile.Stage> needed;
    try {
      needed = dockerfile.needed(target);
      dockerfile.checkReferences(needed, ref -> isImage(ref, plan));
    } catch (Dockerfile.Invalid e) {
      throw invalid(e);
    }
    log.info(spec.displayName() + ": " + dockerfile.stages().size() + " stage(s); building stage " + target.label()
        + ", which needs " + String.join(", ", needed.stream().map(Dockerfile.Stage::label).toList()));
    DockerIgnore ignore = readIgnore(spec);
    Path work = plan.outputDirectory().resolve("dockerfile");
    try {
      LayerUnpacker.deleteRecursively(work);
      Files.createDirectories(work);
      Map<Integer, StageRun> done = new HashMap<>();
      Throwable failure = null;
      try {
        for (Dockerfile.Stage stage : needed) {
          StageRun run = new StageRun(plan, spec, dockerfile, stage, done, ignore, work);
          run.execute();
          done.put(stage.index(), run);
        }
        StageRun last = done.get(target.index());
        Path finalRoot = last.materialize();
        Map<String, byte[]> packages = new TreeMap<>();
        for (String file : ImageContents.PACKAGE_FILES) {
          Optional<Path> found = RootPaths.resolve(finalRoot, file);
          if (found.isPresent() && Files.isRegularFile(found.get())) {
            packages.put(file, Files.readAllBytes(found.get()));
          }
        }
        return new Result(last.baseImage(), List.copyOf(last.layers), last.config.deepCopy(), packages);
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
        throw e;
      } finally {
        Cleanup.remove(log, failure, work);
      }
    } catch (IOException e) {
      throw new MsbuildException("Could not run " + spec.displayName() + " in " + work + ": " + e.getMessage(), Setting.DOCKERFILE,
          "check that " + plan.outputDirectory() + " is writable and the disk has room.", e);
    }
  }

  private static MsbuildException invalid(Dockerfile.Invalid e) {
    return new MsbuildException(e.getMessage() + ".", Setting.DOCKERFILE, "correct that line of the Dockerfile.", e);
  }

  /** Whether a {@code --from} that names no stage names an image its registry has, as Docker then pulls it. */
  private boolean isImage(String ref, BuildPlan plan) {
    try {
      puller.resolveManifestDigest(ImageName.parse(ref, Setting.DOCKERFILE), plan.platform(), Setting.DOCKERFILE);
      return true;
    } catch (MsbuildException | IllegalArgumentException e) {
      return false;
    }
  }

  private DockerIgnore readIgnore(DockerfileSpec spec) {
    Path file = spec.context().resolve(".dockerignore");
    try {
      return Files.isRegularFile(file) ? DockerIgnore.parse(Files.readString(file)) : DockerIgnore.NONE;
    } catch (IOException e) {
      throw new MsbuildException("Could not read " + file + ": " + e.getMessage(), Setting.DOCKERFILE, "make it readable.", e);
    }
  }

  /** One stage as it runs. */
  private final class StageRun {
    private final BuildPlan plan;
    private final DockerfileSpec spec;
    private final Dockerfile dockerfile;
    private final Dockerfile.Stage stage;
    private final Map<Integer, StageRun> done;
    private final DockerIgnore ignore;
    private final Path work;
    private final Platform platform;
    /** The image the first stage of this one's FROM chain starts from; empty for scratch. */
    private final Optional<ImageName> image;
    private Optional<PulledImage> pulled = Optional.empty();
    private Optional<UnpackedImage> unpacked = Optional.empty();
    /** The manifest digest, "scratch", or the parent stage's key: what this stage's key starts from. */
    private final String baseIdentity;
    final List<StageLayer> layers = new ArrayList<>();
    /** How many of {@link #layers} the root has, once it exists. */
    private int applied;
    private Path root;
    ObjectNode config;
    private final Map<String, String> args = new LinkedHashMap<>();
    private boolean cmdFromBase;
    private List<String> shell = List.of("/bin/sh", "-c");
    String key;
    private int step;

    StageRun(BuildPlan plan, DockerfileSpec spec, Dockerfile dockerfile, Dockerfile.Stage stage,
        Map<Integer, StageRun> done, DockerIgnore ignore, Path work) {
      this.plan = plan;
      this.spec = spec;
      this.dockerfile = dockerfile;
      this.stage = stage;
      this.done = done;
      this.ignore = ignore;
      this.work = work;
      Instruction from = stage.from();
      String platformText = from.flag("platform").map(p -> Substitution.expand(p, dockerfile.globalArgs(), '\\', from.line()))
          .orElse(plan.platform().toString());
      this.platform = Platform.parse(platformText, Setting.DOCKERFILE);
      Optional<StageRun> parent = dockerfile.stage(stage.base()).filter(s -> s.index() < stage.index()).map(s -> done.get(s.index()));
      if (parent.isPresent()) {
        StageRun p = parent.get();
        image = p.image;
        pulled = p.pulled;
        unpacked = p.unpacked;
        layers.addAll(p.layers);
        config = p.config.deepCopy();
        shell = p.shell;
        baseIdentity = "stage " + p.key;
        cmdFromBase = config.has("Cmd");
      } else if (stage.base().equalsIgnoreCase("scratch")) {
        image = Optional.empty();
        config = ManifestCodec.JSON.createObjectNode();
        baseIdentity = "scratch " + platform;
      } else {
        image = Optional.of(ImageName.parse(stage.base(), Setting.DOCKERFILE));
        // Its manifest and config only: the layers are pulled when the stage's root or the image needs them.
        pulled = Optional.of(puller.describe(image.get(), platform, Setting.DOCKERFILE, plan.fromAuth()));
        baseIdentity = "image " + pulled.get().manifestDigest() + " " + platform;
        JsonNode c = readConfig(pulled.get().configJson()).path("config");
        config = c.isObject() ? ((ObjectNode) c).deepCopy() : ManifestCodec.JSON.createObjectNode();
        cmdFromBase = config.has("Cmd");
      }
      // Global ARGs are seen in a stage only when it declares them again.
      key = hash("msbuild dockerfile stage v1", baseIdentity);
    }

    private String label() {
      return stage.label();
    }

    /** The base image with its layers: what the target's image starts from. */
    Optional<PulledImage> baseImage() {
      if (image.isPresent() && pulled.get().layers().isEmpty()) {
        pulled = Optional.of(puller.pull(image.get(), platform, Setting.DOCKERFILE, plan.fromAuth()));
      }
      return pulled;
    }

    void execute() throws IOException {
      log.info("[" + label() + "] FROM " + stage.base() + (image.isPresent() && pulled.isPresent()
          ? "@" + pulled.get().resolvedDigest() : "") + (platform.equals(Platform.host()) ? "" : " (" + platform + ")"));
      int total = stage.instructions().size();
      for (Instruction in : stage.instructions()) {
        step++;
        String where = "[" + label() + " " + step + "/" + total + "] ";
        if (!Set.of("COPY", "ADD", "RUN", "WORKDIR").contains(in.keyword())) {
          log.info(where + in.keyword() + " " + in.text().strip()); // the others log themselves, with their layers
        }
        try {
          apply(in, where);
        } catch (DockerfileParser.SyntaxError e) {
          throw new MsbuildException(dockerfile.file() + " line " + in.line() + ": " + e.getMessage() + ".", Setting.DOCKERFILE,
              "correct that line of the Dockerfile.", e);
        } catch (Dockerfile.Invalid e) {
          throw invalid(e);
        }
      }
      if (root != null) {
        materialize(); // later stages copy from its files as they are now
      }
    }

    /** Variables instructions substitute: the stage's ARGs, then its ENV, which wins. */
    private Map<String, String> variables() {
      Map<String, String> values = new LinkedHashMap<>(args);
      values.putAll(env());
      return values;
    }

    private Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      config.path("Env").forEach(e -> {
        String entry = e.asText();
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      });
      return env;
    }

    private void setEnv(Map<String, String> env) {
      ArrayNode array = config.putArray("Env");
      env.forEach((k, v) -> array.add(k + "=" + v));
    }

    private String workdir() {
      String dir = config.path("WorkingDir").asText("");
      return dir.isEmpty() ? "/" : dir;
    }

    private void apply(Instruction in, String where) throws IOException {
      Map<String, String> vars = variables();
      switch (in.keyword()) {
        case "ARG" -> {
          for (var arg : Dockerfile.argument(dockerfile.file(), in).entrySet()) {
            String name = arg.getKey();
            String value = spec.buildArgs().containsKey(name) ? spec.buildArgs().get(name)
                : arg.getValue().map(v -> Substitution.expand(v, vars, '\\', in.line()))
                    .orElse(dockerfile.globalArgs().get(name));
            if (value != null) {
              args.put(name, value);
            }
            key = hash(key, "ARG " + name + "=" + (value == null ? "<unset>" : value));
          }
        }
        case "ENV" -> {
          Map<String, String> env = env();
          env.putAll(Arguments.pairs("ENV", in.text(), vars, in.line()));
          setEnv(env);
          key = hash(key, "ENV " + env);
        }
        case "LABEL" -> {
          ObjectNode labels = config.has("Labels") && config.get("Labels").isObject() ? (ObjectNode) config.get("Labels")
              : config.putObject("Labels");
          Arguments.pairs("LABEL", in.text(), vars, in.line()).forEach(labels::put);
          key = hash(key, "LABEL " + labels);
        }
        case "WORKDIR" -> {
          String dir = Substitution.expand(in.text().strip(), vars, '\\', in.line());
          String absolute = dir.startsWith("/") ? dir : workdir() + (workdir().endsWith("/") ? "" : "/") + dir;
          config.put("WorkingDir", normalize(absolute));
          key = hash(key, "WORKDIR " + workdir());
          ensureWorkdir(in, where);
        }
        case "USER" -> {
          config.put("User", Substitution.expand(in.text().strip(), vars, '\\', in.line()));
          key = hash(key, "USER " + config.get("User").asText());
        }
        case "EXPOSE" -> {
          ObjectNode ports = config.has("ExposedPorts") ? (ObjectNode) config.get("ExposedPorts") : config.putObject("ExposedPorts");
          for (String port : Arguments.words(in.text(), vars, in.line())) {
            String p = port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp";
            if (!p.matches("[0-9]+(-[0-9]+)?/(tcp|udp|sctp)")) {
              throw new DockerfileParser.SyntaxError(in.line(), "EXPOSE " + port + ": expected a port, e.g. 8080 or 53/udp");
            }
            ports.putObject(p);
          }
          key = hash(key, "EXPOSE " + ports);
        }
        case "VOLUME" -> {
          ObjectNode volumes = config.has("Volumes") ? (ObjectNode) config.get("Volumes") : config.putObject("Volumes");
          List<String> paths = in.exec().orElseGet(() -> Arguments.words(in.text(), vars, in.line()));
          paths.forEach(v -> volumes.putObject(v));
          key = hash(key, "VOLUME " + volumes);
        }
        case "STOPSIGNAL" -> {
          config.put("StopSignal", Substitution.expand(in.text().strip(), vars, '\\', in.line()));
          key = hash(key, "STOPSIGNAL " + config.get("StopSignal").asText());
        }
        case "SHELL" -> {
          shell = in.exec().filter(l -> !l.isEmpty()).orElseThrow(() -> new DockerfileParser.SyntaxError(in.line(),
              "SHELL takes a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]"));
          key = hash(key, "SHELL " + shell);
        }
        case "CMD" -> {
          strings(config.putArray("Cmd"), StageConfig.command(shell, in));
          cmdFromBase = false;
          key = hash(key, "CMD " + config.get("Cmd"));
        }
        case "ENTRYPOINT" -> {
          strings(config.putArray("Entrypoint"), StageConfig.command(shell, in));
          if (cmdFromBase) {
            // As Docker does: a CMD from the base image is not an argument for a new entrypoint.
            config.remove("Cmd");
            cmdFromBase = false;
          }
          key = hash(key, "ENTRYPOINT " + config.get("Entrypoint"));
        }
        case "HEALTHCHECK" -> {
          StageConfig.healthcheck(config, in);
          key = hash(key, "HEALTHCHECK " + config.path("Healthcheck"));
        }
        case "COPY", "ADD" -> copy(in, where, vars);
        case "RUN" -> run(in, where, vars);
        default -> throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " is not supported");
      }
    }

    // ---------------------------------------------------------------- layers

    /** The layer cached under {@code stepKey}, if any; else {@code maker}'s, kept there. */
    private void layer(String stepKey, String createdBy, String where, LayerMaker maker) throws IOException {
      String cacheKey = "dockerfile-" + stepKey;
      Optional<StageCache.Entry> hit = cache.find(cacheKey).filter(e -> Files.isRegularFile(e.file("layer.properties")));
      long start = System.nanoTime();
      StageCache.Entry entry;
      boolean inRoot = false;
      if (hit.isPresent()) {
        entry = hit.get();
        log.info(where + createdBy + " (cached)");
      } else {
        log.info(where + createdBy);
        Made made = maker.make();
        inRoot = made.inRoot();
        entry = cache.put(cacheKey, dir -> {
          Properties p = new Properties();
          if (made.entries().isEmpty()) {
            p.setProperty("empty", "true");
          } else {
            AppLayer layer = AppLayer.writeExactly(made.entries(), dir.resolve("layer.tar.gz"), time());
            p.setProperty("digest", layer.digest());
            p.setProperty("diffId", layer.diffId());
            p.setProperty("size", Long.toString(layer.size()));
          }
          p.setProperty("createdBy", createdBy);
          try (var out = Files.newOutputStream(dir.resolve("layer.properties"))) {
            p.store(out, null);
          }
        });
      }
      key = stepKey;
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(entry.file("layer.properties"))) {
        p.load(in);
      }
      if ("true".equals(p.getProperty("empty"))) {
        if (hit.isEmpty()) {
          log.info(where + "  no file changed: no layer");
        }
        return;
      }
      AppLayer layer = new AppLayer(entry.file("layer.tar.gz"), p.getProperty("digest"), p.getProperty("diffId"),
          Long.parseLong(p.getProperty("size")));
      boolean current = inRoot && root != null && applied == layers.size();
      layers.add(new StageLayer(layer, createdBy));
      if (current) {
        applied = layers.size();
      }
      if (hit.isEmpty()) {
        log.info(String.format("%s  layer %s, %,d bytes compressed, in %.1f s", where, layer.digest(), layer.size(),
            (System.nanoTime() - start) / 1e9));
      }
    }

    private Instant time() {
      return plan.container().created().orElse(Instant.EPOCH);
    }

    /** The stage's root as its layers make it: made on first use, brought up to date after cache hits. */
    Path materialize() throws IOException {
      if (root == null) {
        root = OwnedPaths.fresh(work, TEMP, "-" + stage.index());
        if (image.isPresent()) {
          if (unpacked.isEmpty()) {
            unpacked = Optional.of(images.unpack(baseImage().get(), "Dockerfile image", limits(), Setting.DOCKERFILE));
          }
          TreeCopy.copy(unpacked.get().root(), root);
        } else {
          Files.createDirectories(root);
        }
        applied = 0;
      }
      LayerUnpacker unpacker = new LayerUnpacker(root, limits().maxEntries(), limits().maxBytes());
      while (applied < layers.size()) {
        StageLayer layer = layers.get(applied);
        try (InputStream in = Files.newInputStream(layer.layer().file())) {
          unpacker.apply(in, layer.createdBy(), layer.layer().digest());
        }
        applied++;
      }
      return root;
    }

    private BuilderSpec.UnpackLimits limits() {
      return plan.builder().limits();
    }

    // ---------------------------------------------------------------- WORKDIR

    private void ensureWorkdir(Instruction in, String where) throws IOException {
      String dir = workdir();
      if (dir.equals("/")) {
        return;
      }
      layer(hash(key, "mkdir " + dir), "WORKDIR " + dir, where, () -> {
        Path r = materialize();
        List<LayerEntry> entries = new ArrayList<>();
        String path = "";
        for (String part : dir.substring(1).split("/")) {
          path += "/" + part;
          Optional<Path> existing = RootPaths.resolve(r, path);
          if (existing.isEmpty()) {
            entries.add(new LayerEntry.DirectoryEntry(path, 0755, Owner.ROOT));
            Files.createDirectories(r.resolve(path.substring(1)));
          } else if (!Files.isDirectory(existing.get())) {
            throw new DockerfileParser.SyntaxError(in.line(), "WORKDIR " + dir + ": " + path + " is a file in the stage");
          }
        }
        return new Made(entries, true);
      });
    }

    // ---------------------------------------------------------------- COPY / ADD

    private void copy(Instruction in, String where, Map<String, String> vars) throws IOException {
      List<String> words = in.exec().orElseGet(() -> Arguments.words(in.text(), vars, in.line()));
      if (!in.heredocs().isEmpty()) {
        throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " with a here-document is not supported yet; "
            + "put the file in the context and COPY it");
      }
      if (words.size() < 2) {
        throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " needs at least one source and a destination");
      }
      List<String> sources = words.subList(0, words.size() - 1);
      String dest = words.get(words.size() - 1);
      for (String s : sources) {
        if (s.matches("(?i)(https?|git)://.*") || s.startsWith("git@")) {
          throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " " + s + ": sources from the network are not supported; "
              + "download the file in a RUN, or put it in the context");
        }
      }
      Optional<Owner> chown = in.flag("chown").map(c -> owner(c, in));
      Optional<Integer> chmod = in.flag("chmod").map(c -> {
        if (!c.matches("[0-7]{3,4}")) {
          throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " --chmod=" + c + ": expected an octal mode such as 755");
        }
        return Integer.parseInt(c, 8);
      });
      for (String flag : in.flagMap().keySet()) {
        if (!Set.of("from", "chown", "chmod", "link").contains(flag)) {
          throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " --" + flag + " is not supported (supported: --from, --chown, --chmod, --link)");
        }
      }
      String destPath = dest.startsWith("/") ? dest : workdir() + (workdir().endsWith("/") ? "" : "/") + dest;
      boolean destIsDir = dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.") || sources.size() > 1
          || sources.stream().anyMatch(s -> CopySources.WILDCARD.matcher(s).find());
      Optional<String> from = in.flag("from");
      // What the sources are, for the key: the context's files by content; a stage's or an image's
      // by what they are (a stage's key, an image's digest) and the paths, so that a stage found
      // whole in the cache is not unpacked to be hashed.
      String inputs;
      SourceLister lister;
      if (from.isEmpty()) {
        List<CopySources.Source> files = CopySources.fromContext(in, spec.context(), ignore, sources, plan.outputDirectory());
        inputs = "context " + CopySources.digest(files);
        lister = () -> files;
      } else {
        Optional<Dockerfile.Stage> other = dockerfile.stage(from.get());
        if (other.isPresent()) {
          StageRun run = done.get(other.get().index());
          inputs = "stage " + run.key + " " + sources;
          lister = () -> CopySources.fromRoot(in, run.materialize(), sources);
        } else {
          ImageName name = ImageName.parse(from.get(), Setting.DOCKERFILE);
          PulledImage described = puller.describe(name, platform, Setting.DOCKERFILE, plan.fromAuth());
          inputs = "image " + described.manifestDigest() + " " + sources;
          lister = () -> CopySources.fromRoot(in, images.unpack(puller.pull(name, platform, Setting.DOCKERFILE, plan.fromAuth()),
              "Dockerfile image", limits(), Setting.DOCKERFILE).root(), sources);
        }
      }
      boolean namedDir = destIsDir;
      String target = normalize(destPath);
      String createdBy = in.keyword() + " " + String.join(" ", in.flags().stream().map(f -> "--" + f.name() + "=" + f.value()).toList())
          .trim() + (in.flags().isEmpty() ? "" : " ") + String.join(" ", sources) + " " + dest;
      layer(hash(key, createdBy, "dest " + target + (namedDir ? "/" : ""), "owner " + chown, "mode " + chmod, inputs), createdBy, where, () -> {
        List<CopySources.Source> files = lister.list();
        Path r = materialize();
        boolean intoDir = namedDir;
        if (files.size() == 1 && files.get(0).directory() == null && !intoDir) {
          // COPY a /x: into /x/a when the stage has a directory /x, else as /x.
          Optional<Path> existing = RootPaths.resolve(r, target);
          intoDir = existing.isPresent() && Files.isDirectory(existing.get());
        }
        List<LayerEntry> entries = new ArrayList<>();
        TreeSet<String> made = new TreeSet<>();
        for (CopySources.Source s : files) {
          String into = normalize(s.directory() != null ? target + "/" + s.relative() : intoDir ? target + "/" + s.name() : target);
          parents(r, into, entries, made, in);
          entries.add(entry(s, into, chown, chmod));
          made.add(into);
        }
        // The root gets the layer when next used, applied as any layer is.
        return new Made(entries, false);
      });
    }

    private LayerEntry entry(CopySources.Source s, String imagePath, Optional<Owner> chown, Optional<Integer> chmod) throws IOException {
      Owner owner = chown.orElse(Owner.ROOT);
      Path file = s.file();
      if (Files.isSymbolicLink(file)) {
        return new LayerEntry.SymlinkEntry(imagePath, Files.readSymbolicLink(file).toString(), owner);
      }
      int mode = chmod.orElseGet(() -> CopySources.mode(file));
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        return new LayerEntry.DirectoryEntry(imagePath, mode, owner);
      }
      return new LayerEntry.FileEntry(imagePath, file, mode, owner);
    }

    /** The directories above {@code imagePath} that the stage lacks, as entries (0755, root). */
    private void parents(Path r, String imagePath, List<LayerEntry> entries, Set<String> made, Instruction in) throws IOException {
      String path = "";
      String[] parts = imagePath.substring(1).split("/");
      for (int i = 0; i < parts.length - 1; i++) {
        path += "/" + parts[i];
        if (made.contains(path)) {
          continue;
        }
        Optional<Path> existing = RootPaths.resolve(r, path);
        if (existing.isEmpty()) {
          entries.add(new LayerEntry.DirectoryEntry(path, 0755, Owner.ROOT));
          made.add(path);
        } else if (!Files.isDirectory(existing.get())) {
          throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + ": " + path + " is not a directory in the stage");
        }
      }
    }

    /** {@code --chown=user:group}, by number or by name in the stage's /etc/passwd and /etc/group. */
    private Owner owner(String text, Instruction in) {
      String[] parts = text.split(":", 2);
      try {
        int uid = id(parts[0], "/etc/passwd", 2, in);
        int gid = parts.length == 2 ? id(parts[1], "/etc/group", 2, in) : parts[0].matches("[0-9]+") ? uid : primaryGroup(parts[0], in);
        return new Owner(uid, gid);
      } catch (IOException e) {
        throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " --chown=" + text + ": " + e.getMessage());
      }
    }

    private int id(String name, String file, int field, Instruction in) throws IOException {
      if (name.matches("[0-9]+")) {
        return Integer.parseInt(name);
      }
      for (String line : lines(file)) {
        String[] f = line.split(":");
        if (f.length > field && f[0].equals(name)) {
          return Integer.parseInt(f[field]);
        }
      }
      throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " --chown: no " + name + " in the stage's " + file);
    }

    private int primaryGroup(String user, Instruction in) throws IOException {
      for (String line : lines("/etc/passwd")) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(user)) {
          return Integer.parseInt(f[3]);
        }
      }
      throw new DockerfileParser.SyntaxError(in.line(), in.keyword() + " --chown: no " + user + " in the stage's /etc/passwd");
    }

    private List<String> lines(String imagePath) throws IOException {
      Optional<Path> file = RootPaths.resolve(materialize(), imagePath);
      return file.isPresent() && Files.isRegularFile(file.get()) ? Files.readAllLines(file.get()) : List.of();
    }

    /** The files a COPY copies, listed when its layer is made. */
    @FunctionalInterface
    private interface SourceLister {
      List<CopySources.Source> list() throws IOException;
    }

    // ---------------------------------------------------------------- RUN

    private void run(Instruction in, String where, Map<String, String> vars) throws IOException {
      List<String> argv;
      if (in.exec().isPresent()) {
        argv = in.exec().get();
      } else {
        argv = new ArrayList<>(shell);
        String script = in.text().strip();
        if (!in.heredocs().isEmpty()) {
          // RUN <<EOF: the here-document is the script; its first line may name an interpreter.
          StringBuilder all = new StringBuilder();
          for (Instruction.Heredoc h : in.heredocs()) {
            all.append(h.expand() ? h.content() : h.content());
          }
          script = all.toString();
        }
        argv.add(script);
      }
      boolean network = !plan.registries().offline();
      List<RunMount> mounts = new ArrayList<>();
      for (var flag : in.flags()) {
        switch (flag.name()) {
          case "mount" -> mounts.add(RunMount.parse(flag.value(), in, this::absolute));
          case "network" -> {
            switch (flag.value()) {
              case "none" -> network = false;
              case "default", "host" -> { }
              default -> throw new DockerfileParser.SyntaxError(in.line(), "RUN --network=" + flag.value()
                  + ": expected none, default or host");
            }
          }
          default -> throw new DockerfileParser.SyntaxError(in.line(), "RUN --" + flag.name()
              + " is not supported (supported: --mount=type=cache|secret|bind, --network)");
        }
      }
      String user = config.path("User").asText("");
      if (!user.isEmpty() && !user.equals("root") && !user.equals("0") && !user.startsWith("0:") && !user.startsWith("root:")) {
        throw new DockerfileParser.SyntaxError(in.line(), "RUN as USER " + user + " is not supported yet: put USER after the "
            + "RUN instructions, or run the command with su-exec/setpriv in the RUN itself");
      }
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      env.put("HOME", "/root");
      args.forEach(env::put);
      env.putAll(env());
      boolean withNetwork = network;
      String createdBy = "RUN " + (in.exec().isPresent() ? in.exec().get().toString() : in.text().strip());
      String stepKey = hash(key, createdBy, "argv " + argv, "args " + new TreeMap<>(args), "mounts " + mounts, "network " + network,
          "platform " + platform);
      layer(stepKey, createdBy, where, () -> new Made(runNow(in, argv, env, mounts, withNetwork), true));
    }

    private String absolute(String path) {
      return normalize(path.startsWith("/") ? path : workdir() + "/" + path);
    }

    private List<LayerEntry> runNow(Instruction in, List<String> argv, Map<String, String> env, List<RunMount> mounts, boolean network)
        throws IOException {
      Path r = materialize();
      Sandbox sandbox = sandbox(plan);
      Map<String, BuilderSpec.Secret> secrets = new HashMap<>();
      plan.builder().secrets().forEach(s -> secrets.put(s.id(), s));
      List<BuilderSpec.Secret> used = new ArrayList<>();
      for (RunMount m : mounts) {
        if (m.type().equals("secret")) {
          BuilderSpec.Secret s = secrets.get(m.id());
          if (s == null) {
            throw new MsbuildException(dockerfile.file() + " line " + in.line() + ": RUN --mount=type=secret,id=" + m.id()
                + ": no secret of that id.", Setting.BUILDER_SECRETS,
                "add it to " + Setting.BUILDER_SECRETS + " with <id>" + m.id() + "</id> and its value from an environment variable.");
          }
          used.add(s);
        }
      }
      Optional<SecretFiles> secretFiles = used.isEmpty() ? Optional.empty() : Optional.of(SecretFiles.write(used));
      Redactor redactor = new Redactor(plan.builder().secrets());
      try {
        List<RootRunSpec.Mount> binds = new ArrayList<>();
        for (RunMount m : mounts) {
          switch (m.type()) {
            case "cache" -> {
              Path dir = plan.cacheDirectory().resolve("dockerfile-mounts").resolve(hash("cache mount", m.id(), platform.toString())
                  .substring(0, 16));
              Files.createDirectories(dir);
              binds.add(new RootRunSpec.Mount(dir, m.target(), true));
            }
            case "secret" -> binds.add(new RootRunSpec.Mount(secretFiles.get().directory().resolve(m.id()), m.target(), false));
            default -> {
              Path source = spec.context().resolve(m.source()).normalize();
              if (!source.startsWith(spec.context().normalize())) {
                throw new DockerfileParser.SyntaxError(in.line(), "RUN --mount=type=bind,source=" + m.source() + ": outside the context");
              }
              binds.add(new RootRunSpec.Mount(source, m.target(), !m.readOnly()));
            }
          }
        }
        String workdir = workdir();
        Files.createDirectories(r.resolve(workdir.substring(1)));
        RootRunSpec run = new RootRunSpec(r, binds, env, workdir, network, argv);
        List<String> missing = missingMountPoints(r, run.mountPoints());
        Set<String> skipped = new java.util.HashSet<>(List.of("/proc", "/dev", "/sys"));
        binds.forEach(b -> skipped.add(b.target()));
        TreeSnapshot before = TreeSnapshot.take(r, skipped);
        List<String> command = sandbox.commandInRoot(run);
        ProcessRunner.Result result;
        try {
          result = ProcessRunner.run(command, r, env, plan.builder().timeout(), redactor, log, "[" + label() + "] ");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while RUN ran", e);
        }
        for (String point : missing) {
          LayerUnpacker.deleteRecursively(r.resolve(point.substring(1)));
        }
        if (result.timedOut() || result.exitCode() != 0) {
          throw new MsbuildException(dockerfile.file() + " line " + in.line() + ": " + redactor.redact(String.join(" ", argv).strip())
              + (result.timedOut() ? " did not finish within " + plan.builder().timeout() : " exited with " + result.exitCode())
              + " (sandbox via " + sandbox.name() + ").", Setting.DOCKERFILE,
              "see the command's output above; " + (network ? "" : "it ran without the network; ") + "correct the RUN line or what it uses.");
        }
        TreeSnapshot after = before.again(skipped);
        return after.changesSince(before, this::layerOwner, log);
      } finally {
        if (secretFiles.isPresent()) {
          secretFiles.get().close();
        }
      }
    }

    /** The mount points the root lacks (their topmost missing directory or file), made by the sandbox and removed after. */
    private List<String> missingMountPoints(Path r, List<String> points) throws IOException {
      List<String> missing = new ArrayList<>();
      for (String point : points) {
        String path = "";
        for (String part : point.substring(1).split("/")) {
          path += "/" + part;
          if (!Files.exists(r.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
            if (!missing.contains(path)) {
              missing.add(path);
            }
            break;
          }
        }
      }
      return missing;
    }

    /** On disk, files a RUN made are this user's when the plugin is not root; in the image, root's, as the RUN saw them. */
    private Owner layerOwner(TreeSnapshot.Node node) {
      if (RootPaths.runningAsRoot()) {
        return new Owner(node.uid(), node.gid());
      }
      return new Owner(node.uid() == MY_UID ? 0 : node.uid(), node.gid() == MY_GID ? 0 : node.gid());
    }
  }

  private static final int MY_UID = RootPaths.processId("uid");
  private static final int MY_GID = RootPaths.processId("gid");

  @FunctionalInterface
  private interface LayerMaker {
    Made make() throws IOException;
  }

  /**
   * What a step made: its layer's entries, and whether the stage's root has them already (a RUN
   * changed it in place) or must have the layer applied when next used (a COPY).
   */
  private record Made(List<LayerEntry> entries, boolean inRoot) {}

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static JsonNode readConfig(byte[] json) {
    try {
      return ManifestCodec.JSON.readTree(json);
    } catch (IOException e) {
      throw new MsbuildException("An image's config is not JSON: " + e.getMessage(), Setting.DOCKERFILE,
          "use an image its registry serves whole.", e);
    }
  }

  /** {@code /a/./b/../c} as {@code /a/c}; never above {@code /}. */
  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/+")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static String hash(String... parts) {
    MessageDigest digest = InputHash.sha256();
    for (String part : parts) {
      InputHash.line(digest, part);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
