package dev.msbuild.stage;

import dev.msbuild.cache.DirectoryShare;
import dev.msbuild.cache.StageCache;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuildPlan;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Platform;
import dev.msbuild.config.Setting;
import dev.msbuild.image.BlobStore;
import dev.msbuild.image.ImagePuller;
import dev.msbuild.rootfs.LayerUnpacker;
import dev.msbuild.rootfs.RootPaths;
import dev.msbuild.rootfs.RootfsCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The builder stage: picks where the build runs (the log says which and why), runs it, and
 * collects its artifacts into {@code target/msbuild/}.
 *
 * <ul>
 *   <li>host: this machine's go, no builder image;
 *   <li>direct: the builder image's statically linked go, run on this machine;
 *   <li>sandbox: anything, inside the builder image's root filesystem (bubblewrap or unshare).
 * </ul>
 *
 * <p>What a build writes before it is complete goes to paths of its own in the output directory,
 * {@code .tmp-<pid>-<start>-<random>-<what>} ({@link OwnedPaths}), renamed into place when done;
 * each build first removes the ones whose owner no longer runs, and the secrets killed builds left.
 */
public final class BuilderStage implements ArtifactBuilder {
  /** The prefix of this stage's temporary paths in the output directory. */
  static final String TEMP = ".tmp-";

  private final BuilderImages images;
  private final BuildLog log;
  /** Results of earlier builds, here or (with {@code <cache><registry>}) on other runners. */
  private final StageCache stages;
  /** Go's caches, shared through the registry cache when there is one. */
  private final DirectoryShare goShare;
  /** The builder image as unpacked by this build, kept for copies from it. */
  private volatile UnpackedImage unpacked;
  /** What a sandboxed build wrote to /out. */
  private volatile Path sandboxOut;
  /** The builder image the last build or skip used, {@code name@digest}, for the provenance. */
  private volatile String usedImage;

  public BuilderStage(ImagePuller puller, BlobStore blobs, RootfsCache roots, StageCache stages, DirectoryShare goShare,
      BuildLog log) {
    this.images = new BuilderImages(puller, blobs, roots, log);
    this.stages = stages;
    this.goShare = goShare;
    this.log = log;
  }

  @Override
  public List<Artifact> build(BuildPlan plan) {
    BuilderSpec spec = plan.builder();
    Redactor redactor = new Redactor(spec.secrets());
    try {
      removeAbandoned(plan);
      if (spec.isolation() == BuilderSpec.Isolation.HOST) {
        GoToolchain host = HostToolchain.find();
        // This machine's go, by its binary: a Go upgrade replaces it.
        Path binary = host.go().toRealPath();
        BuildInputs.Key key =
            BuildInputs.of(plan, "host " + binary + " " + Files.size(binary) + " " + Files.getLastModifiedTime(binary));
        Optional<List<Artifact>> same = unchanged(plan, key);
        if (same.isPresent()) {
          return same.get();
        }
        log.info("Isolation: host (" + Setting.BUILDER_ISOLATION.xml() + " is host: this machine's go, no builder image)");
        GoBuildCommand go = GoBuildCommand.plan(plan, log);
        return recorded(plan, key, List.of(direct(plan, go, host, redactor)));
      }
      BuildInputs.Sources sources = BuildInputs.sources(plan);
      Optional<List<Artifact>> unasked = skippedUnresolved(plan, sources);
      if (unasked.isPresent()) {
        return unasked.get();
      }
      // With a registry cache the result may be there: the image's digest alone (no layers) gives
      // the key, and the image is pulled and unpacked only when the build has to run.
      Optional<String> resolved = stages.shared() && spec.secrets().isEmpty() ? Optional.of(images.resolve(spec)) : Optional.empty();
      if (resolved.isPresent()) {
        usedImage = spec.image() + "@" + resolved.get();
        Optional<List<Artifact>> same = reused(plan, BuildInputs.of(sources, "image " + resolved.get()));
        if (same.isPresent()) {
          return same.get();
        }
      }
      UnpackedImage image = unpack(spec);
      usedImage = spec.image() + "@" + image.manifestDigest();
      BuildInputs.Key key = BuildInputs.of(sources, "image " + image.manifestDigest());
      if (resolved.isEmpty() || !resolved.get().equals(image.manifestDigest())) {
        Optional<List<Artifact>> same = reused(plan, key);
        if (same.isPresent()) {
          return same.get();
        }
      }
      Optional<GoToolchain> toolchain = ImageToolchain.find(image);
      IsolationChoice choice = IsolationChoice.of(spec, toolchain, image.config().envMap().getOrDefault("PATH", ""),
          IsolationChoice.ON_THIS_MACHINE);
      if (choice.direct()) {
        log.info("Isolation: direct (" + choice.why() + ")");
        GoBuildCommand go = GoBuildCommand.plan(plan, log);
        return recorded(plan, key, List.of(direct(plan, go, toolchain.get(), redactor)));
      }
      Sandbox sandbox = Sandboxes.pick(spec.sandbox(), log);
      log.info("Isolation: sandbox via " + sandbox.name() + " (" + choice.why() + ")");
      return recorded(plan, key, sandboxed(plan, image, sandbox, redactor));
    } catch (IOException e) {
      throw new MsbuildException(
          "The builder stage could not run: " + redactor.redact(String.valueOf(e.getMessage())),
          Setting.BUILDER_ISOLATION,
          "check that target/ and " + Setting.CACHE_DIRECTORY + " are writable; " + Setting.BUILDER_ISOLATION
              + " host uses this machine's go instead.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MsbuildException("The builder stage was interrupted.", null, "run the build again.");
    }
  }

  /**
   * The last build's artifacts when they were built from these sources and settings with the image
   * the builder image's name last resolved to on this machine: then neither the image nor its tag
   * is asked of any registry (with {@code mvn -U} the tag always is). A tag that has moved since is
   * noticed by the next build whose sources change, or by {@code -U}.
   */
  private Optional<List<Artifact>> skippedUnresolved(BuildPlan plan, BuildInputs.Sources sources) throws IOException {
    BuilderSpec spec = plan.builder();
    if (!spec.secrets().isEmpty() || plan.registries().updateTags()) {
      return Optional.empty();
    }
    Optional<ImagePuller.LastResolved> last = images.lastResolved(spec);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    BuildInputs.Key key = BuildInputs.of(sources, "image " + last.get().manifestDigest());
    Optional<List<Artifact>> same = BuildInputs.unchanged(plan, key);
    if (same.isEmpty()) {
      return Optional.empty();
    }
    images.logOrigin(spec);
    usedImage = spec.image() + "@" + last.get().manifestDigest();
    logSkipped(plan, key, "the builder image " + spec.image() + " as last resolved, " + last.get().described(),
        "; the image was not asked for (mvn -U asks its registry for the tag)", same.get());
    useRecordedOut(plan);
    return same;
  }

  /** Why the builder stage is skipped: its inputs, {@code toolchain} among them, are the last build's. */
  private void logSkipped(BuildPlan plan, BuildInputs.Key key, String toolchain, String note, List<Artifact> reused) {
    log.info("Builder stage skipped: its inputs are those of the last build (" + key.files() + " source files, " + toolchain
        + ", platform " + plan.platform() + " and the builder settings hash to " + key.key().substring(0, 19) + "...)" + note
        + "; reusing " + String.join(", ", reused.stream().map(a -> plan.sourceDirectory().relativize(a.file()).toString()).toList()));
  }

  /** A skipped sandboxed build's /out, as the last build left it, for COPY --from=builder /out/... */
  private void useRecordedOut(BuildPlan plan) {
    Path out = plan.outputDirectory().resolve("out");
    sandboxOut = Files.isDirectory(out) ? out : null;
  }

  /** {@link #unchanged}, with a skipped sandboxed build's /out as it was left. */
  private Optional<List<Artifact>> reused(BuildPlan plan, BuildInputs.Key key) throws IOException {
    Optional<List<Artifact>> same = unchanged(plan, key);
    if (same.isPresent()) {
      useRecordedOut(plan);
    }
    return same;
  }

  /**
   * The last build's artifacts, when nothing the build depends on has changed since (the log says
   * so); otherwise the record of that build is dropped before this one runs.
   */
  private Optional<List<Artifact>> unchanged(BuildPlan plan, BuildInputs.Key key) throws IOException {
    if (!plan.builder().secrets().isEmpty()) {
      log.info("Builder stage runs: build secrets are in use, and their values are never hashed to compare builds");
      BuildInputs.forget(plan);
      return Optional.empty();
    }
    Optional<List<Artifact>> same = BuildInputs.unchanged(plan, key);
    if (same.isPresent()) {
      logSkipped(plan, key, "the toolchain", "", same.get());
    } else {
      String changed = BuildInputs.whatChanged(plan, key);
      BuildInputs.forget(plan);
      // Not this project's last build: perhaps the same sources built elsewhere, or before mvn clean.
      Optional<List<Artifact>> cached = BuilderResults.restore(stages, plan, key);
      if (cached.isPresent()) {
        log.info("Builder stage skipped: its inputs (" + key.files() + " source files, the toolchain, platform " + plan.platform()
            + " and the builder settings) hash to " + key.key().substring(0, 19) + "..., a result the stage cache has ("
            + changed + " since this project's last build); reusing "
            + String.join(", ", cached.get().stream().map(Artifact::name).toList()));
        BuildInputs.record(plan, key, cached.get());
        return cached;
      }
      log.info("Builder stage runs: " + changed);
    }
    return same;
  }

  /** Records a finished build for this project, and keeps its results in the stage cache for any other. */
  private List<Artifact> recorded(BuildPlan plan, BuildInputs.Key key, List<Artifact> artifacts) throws IOException {
    if (plan.builder().secrets().isEmpty()) {
      BuildInputs.record(plan, key, artifacts);
      BuilderResults.store(stages, key, artifacts, Optional.ofNullable(sandboxOut));
    }
    return artifacts;
  }

  /** The builder image the last {@link #build} or {@link #javaRuntime} ran in, or found its result by. */
  public Optional<String> usedImage() {
    return Optional.ofNullable(usedImage);
  }

  /** The Java builder stage: a jlink runtime for the application, made in the builder image's JDK. */
  public JavaRuntime javaRuntime(BuildPlan plan) {
    BuilderSpec spec = plan.builder();
    try {
      removeAbandoned(plan);
      Optional<ImagePuller.LastResolved> last = plan.registries().updateTags() ? Optional.empty() : images.lastResolved(spec);
      // jdeps's inputs (classes, every dependency) are hashed once per builder image digest.
      String lastKey = null;
      if (last.isPresent()) {
        lastKey = JlinkInputs.key(plan, last.get().manifestDigest());
        usedImage = spec.image() + "@" + last.get().manifestDigest();
        Optional<JavaRuntime> same = cachedRuntime(plan, stages, lastKey,
            "the builder image " + spec.image() + " as last resolved, " + last.get().described() + ", not asked for (mvn -U asks)");
        if (same.isPresent()) {
          return same.get();
        }
      }
      if (last.isEmpty() && stages.shared()) {
        // A runner's first build, with a registry cache: the runtime may be there, and then the JDK image is not needed.
        String digest = images.resolve(spec);
        lastKey = JlinkInputs.key(plan, digest);
        usedImage = spec.image() + "@" + digest;
        Optional<JavaRuntime> same = cachedRuntime(plan, stages, lastKey, "the builder image " + spec.image() + " as resolved now");
        if (same.isPresent()) {
          return same.get();
        }
        last = Optional.of(new ImagePuller.LastResolved(digest, digest));
      }
      UnpackedImage image = unpack(spec);
      usedImage = spec.image() + "@" + image.manifestDigest();
      boolean lookedUp = last.isPresent() && last.get().manifestDigest().equals(image.manifestDigest());
      String key = lookedUp ? lastKey : JlinkInputs.key(plan, image.manifestDigest());
      Optional<JavaRuntime> same = lookedUp ? Optional.empty() : cachedRuntime(plan, stages, key, "the builder image");
      if (same.isPresent()) {
        return same.get();
      }
      Sandbox sandbox = Sandboxes.pick(spec.sandbox(), log);
      log.info("Isolation: sandbox via " + sandbox.name() + " (jlink runs the builder image's JDK)");
      Path outDir = OwnedPaths.createDirectory(plan.outputDirectory(), TEMP, "-out");
      JavaRuntime runtime;
      long start = System.nanoTime();
      Throwable failure = null;
      try {
        JavaRuntime linked = new JlinkRuntime(plan, image, sandbox, log).link(outDir);
        // Kept in the stage cache, whole or not at all; the image takes the runtime from there.
        StageCache.Entry entry = stages.put(JlinkInputs.stageKey(key), dir -> JlinkInputs.write(dir, linked));
        runtime = JlinkInputs.read(entry.directory()).orElseThrow(
            () -> new IOException("the stage cache entry " + entry.directory() + " holds no runtime"));
        sandboxOut = entry.directory();
      } catch (IOException | InterruptedException | RuntimeException | Error e) {
        failure = e;
        throw e;
      } finally {
        Cleanup.remove(log, failure, outDir);
      }
      log.info(String.format("Linked a Java %s runtime (%s, %d modules) in %.1f s", runtime.javaVersion(), runtime.libc(),
          runtime.modules().size(), (System.nanoTime() - start) / 1e9));
      return runtime;
    } catch (IOException e) {
      throw new MsbuildException(
          "The Java builder stage could not run: " + e.getMessage(),
          Setting.JAVA_JLINK,
          "check that target/ and " + Setting.CACHE_DIRECTORY + " are writable.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MsbuildException("The builder stage was interrupted.", null, "run the build again.");
    }
  }

  /** The runtime jlink made before from the same inputs, kept in the stage cache; the log says which inputs. */
  private Optional<JavaRuntime> cachedRuntime(BuildPlan plan, StageCache stages, String key, String image) throws IOException {
    Optional<StageCache.Entry> hit = stages.find(JlinkInputs.stageKey(key));
    Optional<JavaRuntime> same = hit.isPresent() ? JlinkInputs.read(hit.get().directory()) : Optional.empty();
    if (same.isPresent()) {
      sandboxOut = hit.get().directory();
      log.info("Builder stage skipped: jlink's inputs (" + image + ", the jlink settings"
          + (plan.java().orElseThrow().jlink().orElseThrow().modules().isEmpty() ? ", the classes and dependencies jdeps reads" : "")
          + ") hash to " + key.substring(0, 19) + "..., a runtime the stage cache has; reusing it ("
          + String.join(",", same.get().modules()) + ")");
    }
    return same;
  }

  @Override
  public BuilderStageFiles files(BuildPlan plan, List<Artifact> artifacts) {
    return new BuilderStageFiles(() -> unpack(plan.builder()), Optional.ofNullable(sandboxOut), artifacts);
  }

  private UnpackedImage unpack(BuilderSpec spec) {
    UnpackedImage image = unpacked;
    if (image == null) {
      image = images.unpack(spec);
      unpacked = image;
    }
    return image;
  }

  private Artifact direct(BuildPlan plan, GoBuildCommand go, GoToolchain toolchain, Redactor redactor)
      throws IOException, InterruptedException {
    BuilderSpec spec = plan.builder();
    log.info("Builder stage: go build for " + plan.platform() + " with " + toolchain.description());
    Files.createDirectories(plan.outputDirectory());
    Path output = plan.outputDirectory().resolve(spec.outputName());
    Path temp = OwnedPaths.fresh(plan.outputDirectory(), TEMP, "-" + spec.outputName() + ".part");
    Map<String, String> host = System.getenv();
    String path = toolchain.go().getParent() + ":" + host.getOrDefault("PATH", "/usr/bin:/bin");
    boolean vcs = GoBuildCommand.vcsOnThisMachine(spec, path);
    List<String> command = go.argv(toolchain.go().toString(), spec, temp.toString(), vcs);

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", path);
    if (vcs) {
      env.putAll(GoBuildCommand.gitEnv());
    }
    env.put("HOME", System.getProperty("user.home"));
    env.putAll(HostPassThrough.direct(host));
    env.putAll(toolchain.env());
    Path caches = goCaches(plan, toolchain.cacheKey());
    List<DirectoryShare.Directory> shared = importedGoCaches(plan, toolchain.cacheKey(), caches);
    env.putAll(GoBuildCommand.goEnv(plan.platform(), caches.resolve(platformKey(plan)).resolve("build").toString(),
        caches.resolve("mod").toString()));
    env.put("GOPATH", caches.resolve("path").toString());
    offlineModules(plan, env);
    env.putAll(spec.env());
    spec.secrets().forEach(s -> env.put(s.id(), s.value()));

    String shown = goShown(env, command);
    log.info("$ " + shown);
    long start = System.nanoTime();
    try {
      ProcessRunner.Result result =
          ProcessRunner.run(command, plan.sourceDirectory(), env, spec.timeout(), redactor, log, "[go] ");
      if (result.exitCode() != 0 || result.timedOut()) {
        throw failure(plan, result, shown, "direct");
      }
      Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    shared.forEach(goShare::changed);
    logBuilt(plan, output, start);
    return new Artifact(output, spec.outputName(), plan.platform());
  }

  private List<Artifact> sandboxed(BuildPlan plan, UnpackedImage image, Sandbox sandbox, Redactor redactor)
      throws IOException, InterruptedException {
    Path outDir = OwnedPaths.createDirectory(plan.outputDirectory(), TEMP, "-out");
    Path scratch = OwnedPaths.fresh(plan.outputDirectory(), TEMP, "-sandbox");
    Throwable failure = null;
    try {
      return runSandboxed(plan, image, sandbox, redactor, outDir, scratch);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      Cleanup.remove(log, failure, scratch, outDir);
    }
  }

  /** The sandboxed build with its /out in {@code outDir} and its own scratch directory. */
  private List<Artifact> runSandboxed(
      BuildPlan plan, UnpackedImage image, Sandbox sandbox, Redactor redactor, Path outDir, Path scratch)
      throws IOException, InterruptedException {
    BuilderSpec spec = plan.builder();
    Path cache = goCaches(plan, image.shortDigest());
    Files.createDirectories(cache);
    List<DirectoryShare.Directory> shared = importedGoCaches(plan, image.shortDigest(), cache);

    Map<String, String> env = new LinkedHashMap<>(image.config().envMap());
    env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    String home = "/root";
    env.put("HOME", home);
    // As in a direct build: this machine's proxy, CA and Go module settings.
    HostPassThrough host = HostPassThrough.sandbox(System.getenv());
    env.putAll(host.env());
    String buildCache = SandboxSpec.CACHE + "/" + platformKey(plan) + "/build";
    List<String> argv;
    Optional<GoBuildCommand> go = Optional.empty();
    if (spec.command().isPresent()) {
      argv = List.of("/bin/sh", "-c", spec.command().get());
      // A go in the command gets the same persistent caches as the Go build.
      env.put("GOCACHE", buildCache);
      env.put("GOMODCACHE", SandboxSpec.CACHE + "/mod");
    } else {
      go = Optional.of(GoBuildCommand.plan(plan, log));
      // The sandbox sees /src only, seldom the checkout's .git, and git there would not own it.
      argv = go.get().argv("go", spec, SandboxSpec.OUT + "/" + spec.outputName(), false);
      env.putAll(GoBuildCommand.goEnv(plan.platform(), buildCache, SandboxSpec.CACHE + "/mod"));
    }
    offlineModules(plan, env);
    env.putAll(spec.env());
    // After <env>, which may set CGO_ENABLED: the line shows what go gets.
    String shown = go.isPresent() ? goShown(env, argv) : ShellWords.line(Map.of(), argv);
    spec.secrets().forEach(s -> env.put(s.id(), s.value()));

    Optional<SecretFiles> secrets = spec.secrets().isEmpty() ? Optional.empty() : Optional.of(SecretFiles.write(spec.secrets()));
    try {
      SandboxSpec sandboxSpec = new SandboxSpec(image.root(), scratch, plan.sourceDirectory(), outDir, cache,
          secrets.map(SecretFiles::directory), host.caFile(), host.caDir(), env, home, spec.network(), argv);
      List<String> command = sandbox.command(sandboxSpec);
      log.info("Builder stage in " + image.pinned() + (spec.network() ? "" : ", no network")
          + ": " + redactor.redact(shown));
      long start = System.nanoTime();
      ProcessRunner.Result result =
          ProcessRunner.run(command, plan.sourceDirectory(), env, spec.timeout(), redactor, log, "[build] ");
      if (result.exitCode() != 0 || result.timedOut()) {
        throw failure(plan, result, redactor.redact(shown), "sandbox via " + sandbox.name());
      }
      List<String> outputs = spec.command().isPresent() ? spec.outputs() : List.of(SandboxSpec.OUT + "/" + spec.outputName());
      List<Artifact> artifacts = collect(plan, outputs, outDir, scratch.resolve("upper"), image.root());
      shared.forEach(goShare::changed);
      sandboxOut = replaceDirectory(outDir, plan.outputDirectory().resolve("out"));
      artifacts.forEach(a -> logBuilt(plan, a.file(), start));
      return artifacts;
    } finally {
      if (secrets.isPresent()) {
        secrets.get().close();
      }
    }
  }

  /**
   * Puts a complete directory in place of {@code target} (what COPY --from=builder /out/... reads),
   * the old one moved aside first, since a rename cannot replace a directory that is not empty.
   */
  static Path replaceDirectory(Path complete, Path target) throws IOException {
    Path old = OwnedPaths.fresh(target.getParent(), TEMP, "-old-" + target.getFileName());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
    LayerUnpacker.deleteRecursively(old);
    return target;
  }

  /**
   * What builds killed before they could clean up left behind: their secrets (which are this
   * user's, in /dev/shm), and their temporary paths in this build's output directory.
   */
  private void removeAbandoned(BuildPlan plan) {
    SecretFiles.removeAbandoned(log);
    try {
      for (OwnedPaths.Removed removed : OwnedPaths.removeAbandoned(plan.outputDirectory(), TEMP)) {
        log.info("Removed " + plan.outputDirectory().relativize(removed.path()) + " from " + plan.outputDirectory()
            + ", left by a build that was killed (pid " + removed.owner().pid() + " no longer runs)");
      }
    } catch (IOException e) {
      // Nothing trusts them (every build uses paths of its own); they only take room.
      log.warn("Could not remove what killed builds left in " + plan.outputDirectory() + ": " + e.getMessage());
    }
  }

  /** Copies each output into target/msbuild/, whole or not at all. */
  private List<Artifact> collect(BuildPlan plan, List<String> outputs, Path outDir, Path upper, Path root) throws IOException {
    List<Artifact> artifacts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String output : outputs) {
      Optional<Path> file = output.startsWith(SandboxSpec.OUT + "/")
          ? Optional.of(outDir.resolve(output.substring(SandboxSpec.OUT.length() + 1)).normalize())
              .filter(p -> p.startsWith(outDir))
          : RootPaths.resolve(upper, output).or(() -> resolveQuietly(root, output));
      if (file.isEmpty() || !Files.isRegularFile(file.get())) {
        throw new MsbuildException(
            "The builder stage did not produce the output " + output + " as a regular file.",
            Setting.BUILDER_OUTPUTS,
            "make the build write it (the build can write to /out), or correct " + Setting.BUILDER_OUTPUTS + ".");
      }
      String name = Path.of(output).getFileName().toString();
      if (names.contains(name)) {
        throw new MsbuildException(
            "Two outputs are named " + name + "; each becomes /app/<name> in the image.",
            Setting.BUILDER_OUTPUTS,
            "give each output a distinct file name.");
      }
      names.add(name);
      Path target = plan.outputDirectory().resolve(name);
      Path temp = OwnedPaths.fresh(plan.outputDirectory(), TEMP, "-" + name + ".part");
      try {
        Files.copy(file.get(), temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      artifacts.add(new Artifact(target, name, plan.platform()));
    }
    return artifacts;
  }

  private static Optional<Path> resolveQuietly(Path root, String path) {
    try {
      return RootPaths.resolve(root, path);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private MsbuildException failure(BuildPlan plan, ProcessRunner.Result result, String shown, String isolation) {
    BuilderSpec spec = plan.builder();
    Setting setting = spec.command().isPresent() ? Setting.BUILDER_COMMAND : Setting.BUILDER_MAIN_PACKAGE;
    if (result.timedOut()) {
      return new MsbuildException(
          "The builder stage did not finish within " + spec.timeout().toSeconds() + " s and was stopped.\n  Command: "
              + shown + "\n  Isolation: " + isolation + "\n  Output:\n" + indent(result.output()),
          Setting.BUILDER_TIMEOUT,
          "raise " + Setting.BUILDER_TIMEOUT + " (seconds) if the build needs longer, or find what it waits for.");
    }
    String what = spec.command().isPresent() ? "The builder command" : "go build";
    String fix = spec.command().isPresent()
        ? "fix the command or what it builds, using the output above."
        : "fix the compile errors shown above in " + plan.sourceDirectory().resolve(spec.mainPackage()).normalize()
            + ", or point " + Setting.BUILDER_MAIN_PACKAGE + " at the package to build.";
    return new MsbuildException(
        what + " failed with exit code " + result.exitCode() + ".\n  Command: " + shown + "\n  In: "
            + plan.sourceDirectory() + "\n  Isolation: " + isolation + "\n  Output:\n" + indent(result.output()),
        setting,
        fix);
  }

  /** Offline (-o), go takes modules from its module cache only; {@code <builder><env>} may still say otherwise. */
  private void offlineModules(BuildPlan plan, Map<String, String> env) {
    if (plan.registries().offline()) {
      env.put("GOPROXY", "off");
      log.info("Offline: GOPROXY=off, so Go modules come from the module cache in " + Setting.CACHE_DIRECTORY.xml());
    }
  }

  /**
   * Go's caches under {@code caches} (this platform's build cache, the module cache) as the registry
   * cache shares them, filled from it first when this machine has none.
   */
  private List<DirectoryShare.Directory> importedGoCaches(BuildPlan plan, String toolchainKey, Path caches) throws IOException {
    List<DirectoryShare.Directory> shared =
        GoCacheDirectories.of(plan, toolchainKey, caches.resolve(platformKey(plan)).resolve("build"), caches.resolve("mod"));
    shared.forEach(goShare::importIfEmpty);
    return shared;
  }

  /** Go's caches for one toolchain: modules shared, build cache per target platform. */
  private static Path goCaches(BuildPlan plan, String toolchainKey) {
    return plan.cacheDirectory().resolve("go").resolve(toolchainKey);
  }

  private static String platformKey(BuildPlan plan) {
    Platform p = plan.platform();
    return p.os() + "-" + p.architecture() + (p.variant() == null ? "" : "-" + p.variant());
  }

  /** The go command line as the log shows it: shell-quoted, with the variables that pick the target. */
  private static String goShown(Map<String, String> env, List<String> command) {
    Map<String, String> shown = new LinkedHashMap<>();
    for (String name : List.of("GOOS", "GOARCH", "GOARM", "CGO_ENABLED")) {
      if (env.get(name) != null) {
        shown.put(name, env.get(name));
      }
    }
    return ShellWords.line(shown, command);
  }

  private void logBuilt(BuildPlan plan, Path file, long start) {
    try {
      log.info(String.format("Built %s (%,d bytes) in %.1f s", plan.sourceDirectory().relativize(file), Files.size(file),
          (System.nanoTime() - start) / 1e9));
    } catch (IOException e) {
      log.info("Built " + file);
    }
  }

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }
}
