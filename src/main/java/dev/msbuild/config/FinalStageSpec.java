package dev.msbuild.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the final stage adds besides the artifacts: copies from the builder stage, the files a
 * scratch image lacks, and extra files from the project.
 *
 * @param copies {@code COPY --from=builder} equivalents, in order
 * @param caCertificates copy the builder image's CA bundle to /etc/ssl/certs/ca-certificates.crt
 * @param zoneinfo copy the builder image's time zone database
 * @param nonRootUser a non-root user (uid and gid {@link #NON_ROOT_ID} unless given) written to
 *     /etc/passwd and /etc/group with a home directory; the container runs as it unless
 *     {@code <container><user>} says otherwise
 * @param extraDirectories project directories copied into the image
 * @param permissions modes and owners for extra files, matched by image path (glob)
 * @param artifactPath where the (single) artifact goes in the image; empty means {@code /app/<name>}
 */
public record FinalStageSpec(
    List<Copy> copies,
    boolean caCertificates,
    boolean zoneinfo,
    Optional<NonRootUser> nonRootUser,
    List<ExtraDirectory> extraDirectories,
    List<Permission> permissions,
    Optional<String> artifactPath) {

  /** The uid and gid of the non-root user, as in distroless and ko images. */
  public static final int NON_ROOT_ID = 65532;

  public static final FinalStageSpec NONE =
      new FinalStageSpec(List.of(), false, false, Optional.empty(), List.of(), List.of(), Optional.empty());

  public FinalStageSpec {
    copies = List.copyOf(copies);
    extraDirectories = List.copyOf(extraDirectories);
    permissions = List.copyOf(permissions);
  }

  /** The directory artifacts go to unless {@code <artifactPath>} says otherwise. */
  public static final String APP_DIRECTORY = "/app";

  /** Where the artifact of this name goes in the image: {@code <artifactPath>}, else {@code /app/<name>}. */
  public String artifactPath(String name) {
    return artifactPath.orElse(APP_DIRECTORY + "/" + name);
  }

  /**
   * The user {@code <nonRootUser>} adds: {@code name}, {@code name:uid} or {@code name:uid:gid}.
   *
   * @param gid the uid when not given
   */
  public record NonRootUser(String name, int uid, int gid) {
    public NonRootUser(String name) {
      this(name, NON_ROOT_ID, NON_ROOT_ID);
    }

    /** Its home directory, /home/&lt;name&gt;. */
    public String home() {
      return "/home/" + name;
    }

    public Owner owner() {
      return new Owner(uid, gid);
    }
  }

  /** A numeric owner, {@code uid:gid}. */
  public record Owner(int uid, int gid) {
    public static final Owner ROOT = new Owner(0, 0);

    @Override
    public String toString() {
      return uid + ":" + gid;
    }
  }

  /**
   * One copy from the builder stage.
   *
   * @param from an absolute path in the builder stage: {@code /out/...} is the build's output,
   *     anything else the builder image's filesystem; a file or a directory (copied whole)
   * @param to an absolute path in the image; ending in {@code /} means "into this directory"
   * @param mode the files' mode (directories get 755); empty keeps the builder's
   * @param owner the owner of everything copied; root by default
   */
  public record Copy(String from, String to, Optional<Integer> mode, Owner owner) {
    /** Where a file source lands: {@code to}, or {@code to} + the source's name when {@code to} ends in {@code /}. */
    public String fileDestination() {
      Path name = Path.of(from).getFileName();
      return to.endsWith("/") ? to + (name == null ? "" : name.toString()) : to;
    }
  }

  /**
   * @param from a directory of the project
   * @param into where its content goes in the image (absolute)
   */
  public record ExtraDirectory(Path from, String into) {}

  /**
   * @param glob matched against absolute image paths, e.g. {@code /app/*.sh} or {@code /etc/**}
   * @param mode empty keeps the default (755 for executable files and directories, else 644)
   * @param owner empty keeps root
   */
  public record Permission(String glob, Optional<Integer> mode, Optional<Owner> owner) {}
}
