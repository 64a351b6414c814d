package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The final stage's files besides the artifacts: {@code COPY --from=builder} copies, the CA
 * bundle, the time zone database and a non-root user (one layer), and the project's extra
 * directories (another), plus what the container config needs for them.
 *
 * @param builderFiles copies, CA bundle, zoneinfo, passwd/group and home directory
 * @param extraFiles the project's extra directories
 * @param environment variables the files need ({@code ZONEINFO} for Go's zip)
 * @param defaultUser the user to run as when none is configured
 * @param users the final image's users and groups, to check the configured user against
 */
public record FinalStageFiles(
    List<LayerEntry> builderFiles,
    List<LayerEntry> extraFiles,
    Map<String, String> environment,
    Optional<String> defaultUser,
    UserDatabase users) {

  static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
  private static final List<String> CA_SOURCES = List.of(CA_BUNDLE, "/etc/ssl/cert.pem", "/etc/pki/tls/certs/ca-bundle.crt");
  private static final String ZONEINFO_DIR = "/usr/share/zoneinfo";
  private static final String GO_ZONEINFO = "/usr/local/go/lib/time/zoneinfo.zip";

  /** On a base whose directories are not known (scratch, tests). */
  public static FinalStageFiles assemble(
      FinalStageSpec spec, BuilderFiles builder, UserDatabase baseUsers, Supplier<Optional<String>> goRoot) {
    return assemble(spec, builder, baseUsers, ImageFiles.EMPTY, goRoot);
  }

  /**
   * @param baseUsers the base's user database, as {@link BaseFiles} read it (empty when not needed)
   * @param baseFiles the base's files: directories it has keep their mode and owner when our layers
   *     put files in them
   * @param goRoot GOROOT inside the builder image, asked only when Go's zoneinfo.zip is needed
   */
  public static FinalStageFiles assemble(
      FinalStageSpec spec, BuilderFiles builder, UserDatabase baseUsers, ImageFiles baseFiles, Supplier<Optional<String>> goRoot) {
    try {
      List<LayerEntry> files = new ArrayList<>();
      Map<String, String> environment = new java.util.TreeMap<>();
      for (FinalStageSpec.Copy copy : spec.copies()) {
        copy(copy, builder, files);
      }
      if (spec.caCertificates()) {
        files.add(new LayerEntry.FileEntry(CA_BUNDLE, caBundle(builder), 0644, Owner.ROOT));
      }
      if (spec.zoneinfo()) {
        zoneinfo(builder, goRoot, files, environment);
      }
      UserDatabase users = baseUsers;
      Optional<String> defaultUser = Optional.empty();
      if (spec.nonRootUser().isPresent()) {
        FinalStageSpec.NonRootUser user = spec.nonRootUser().get();
        users = users.withNonRootUser(user);
        files.add(new LayerEntry.BytesEntry("/etc/passwd", users.passwd().get().getBytes(StandardCharsets.UTF_8), 0644, Owner.ROOT));
        files.add(new LayerEntry.BytesEntry("/etc/group", users.group().get().getBytes(StandardCharsets.UTF_8), 0644, Owner.ROOT));
        files.add(new LayerEntry.DirectoryEntry(user.home(), 0755, user.owner()));
        defaultUser = Optional.of(user.uid() + ":" + user.gid());
      }
      // Below the extra files: the base, then the builder files' layer, whose directories they keep.
      List<LayerEntry> builderFiles = ParentDirectories.complete(files, baseFiles);
      ImageFiles lower = baseFiles.with(builderFiles);
      List<LayerEntry> extra = ParentDirectories.complete(ExtraFiles.entries(spec, lower), lower);
      return new FinalStageFiles(List.copyOf(builderFiles), extra, Map.copyOf(environment), defaultUser, users);
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not read the files for the final stage: " + e.getMessage(),
          Setting.COPIES,
          "check the paths in " + Setting.COPIES + " and " + Setting.EXTRA_DIRECTORIES + ".",
          e);
    }
  }

  private static void copy(FinalStageSpec.Copy copy, BuilderFiles builder, List<LayerEntry> files) throws IOException {
    Optional<Path> source = builder.resolve(copy.from());
    if (source.isEmpty()) {
      throw new MsbuildException(
          copy.from() + " does not exist in the builder stage.",
          Setting.COPIES,
          "correct the <from> of that copy: /out/... is what the build wrote, any other path is in the builder image.");
    }
    Path from = source.get();
    if (Files.isDirectory(from)) {
      // As Docker's COPY: a directory's content goes to the destination.
      String into = copy.to();
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path file : walk.sorted().toList()) {
          String imagePath = file.equals(from) ? into : ExtraFiles.join(into, from.relativize(file).toString());
          files.add(entry(file, imagePath, copy));
        }
      }
    } else {
      files.add(entry(from, copy.fileDestination(), copy));
    }
  }

  private static LayerEntry entry(Path file, String imagePath, FinalStageSpec.Copy copy) throws IOException {
    if (Files.isSymbolicLink(file)) {
      return new LayerEntry.SymlinkEntry(imagePath, Files.readSymbolicLink(file).toString(), copy.owner());
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return new LayerEntry.DirectoryEntry(imagePath, 0755, copy.owner());
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new MsbuildException(
          "The builder stage's " + imagePath + " is not a file, directory or symlink.", Setting.COPIES,
          "copy regular files and directories only.");
    }
    return new LayerEntry.FileEntry(imagePath, file, copy.mode().orElse(mode(file)), copy.owner());
  }

  private static int mode(Path file) throws IOException {
    int mode = 0;
    for (PosixFilePermission p : Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }

  private static Path caBundle(BuilderFiles builder) throws IOException {
    for (String candidate : CA_SOURCES) {
      Optional<Path> found = builder.resolve(candidate);
      if (found.isPresent() && Files.isRegularFile(found.get())) {
        return found.get();
      }
    }
    throw new MsbuildException(
        "The builder image has no CA bundle (looked for " + String.join(", ", CA_SOURCES) + ").",
        Setting.CA_CERTIFICATES,
        "use a builder image with the ca-certificates package (the golang images have it), or copy a bundle with "
            + Setting.COPIES + ".");
  }

  private static void zoneinfo(
      BuilderFiles builder, Supplier<Optional<String>> goRoot, List<LayerEntry> files, Map<String, String> environment)
      throws IOException {
    Optional<Path> dir = builder.resolve(ZONEINFO_DIR).filter(Files::isDirectory);
    if (dir.isPresent()) {
      copy(new FinalStageSpec.Copy(ZONEINFO_DIR, ZONEINFO_DIR, Optional.of(0644), Owner.ROOT), builder, files);
      return;
    }
    Optional<String> root = goRoot.get();
    Optional<Path> zip = root.isPresent() ? builder.resolve(root.get() + "/lib/time/zoneinfo.zip") : Optional.empty();
    if (zip.isEmpty() || !Files.isRegularFile(zip.get())) {
      throw new MsbuildException(
          "The builder image has no time zone database (neither " + ZONEINFO_DIR + " nor Go's lib/time/zoneinfo.zip).",
          Setting.ZONEINFO,
          "use a golang builder image, one with the tzdata package, or copy the files with " + Setting.COPIES + ".");
    }
    // Binaries built with -trimpath do not know GOROOT, so Go's time package is told where the zip is.
    files.add(new LayerEntry.FileEntry(GO_ZONEINFO, zip.get(), 0644, Owner.ROOT));
    environment.put("ZONEINFO", GO_ZONEINFO);
  }

  /** Checks the configured user, if any, against the final image's users. */
  public void checkUser(String user) {
    if (user != null && !user.isBlank()) {
      users.check(user);
    }
  }
}
