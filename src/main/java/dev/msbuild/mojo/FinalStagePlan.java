package dev.msbuild.mojo;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.FinalStageSpec.Copy;
import dev.msbuild.config.FinalStageSpec.ExtraDirectory;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.FinalStageSpec.Permission;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validates the final stage's settings: copies, the scratch switches and extra directories. */
final class FinalStagePlan {
  static final String DEFAULT_EXTRA_DIRECTORY = "src/main/image";
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
  private static final Pattern OWNER = Pattern.compile("(\\d{1,10}):(\\d{1,10})");
  private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final String CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

  /** The final stage's part of the pom configuration. */
  record Parameters(
      List<CopyParameter> copies,
      boolean caCertificates,
      boolean zoneinfo,
      String nonRootUser,
      ExtraDirectoriesParameters extraDirectories,
      String artifactPath) {

    Parameters(List<CopyParameter> copies, boolean caCertificates, boolean zoneinfo, String nonRootUser,
        ExtraDirectoriesParameters extraDirectories) {
      this(copies, caCertificates, zoneinfo, nonRootUser, extraDirectories, null);
    }
  }

  private FinalStagePlan() {}

  static FinalStageSpec create(Parameters in, UserProperties props, Path basedir) {
    List<Copy> copies = copies(in.copies(), props);
    boolean ca = props.bool(Setting.CA_CERTIFICATES, in.caCertificates());
    boolean zoneinfo = props.bool(Setting.ZONEINFO, in.zoneinfo());
    Optional<FinalStageSpec.NonRootUser> user = nonRootUser(props.string(Setting.NON_ROOT_USER, in.nonRootUser()));
    checkDestinations(copies, ca, user);
    ExtraDirectoriesParameters extra = in.extraDirectories() == null ? new ExtraDirectoriesParameters() : in.extraDirectories();
    return new FinalStageSpec(
        copies, ca, zoneinfo, user, extraDirectories(extra, props, basedir), permissions(extra, props),
        artifactPath(props.string(Setting.ARTIFACT_PATH, in.artifactPath())));
  }

  private static List<Copy> copies(List<CopyParameter> configured, UserProperties props) {
    List<CopyParameter> params = new ArrayList<>();
    Optional<String> property = props.get(Setting.COPIES);
    if (property.isPresent()) {
      for (String entry : props.list(Setting.COPIES, List.of())) {
        int colon = entry.indexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
          throw new MsbuildException(
              "'" + entry + "' in -D" + Setting.COPIES.property() + " is not from:to.",
              Setting.COPIES,
              "write each copy as /path/in/builder:/path/in/image, for example "
                  + "-D" + Setting.COPIES.property() + "=/out/app:/usr/local/bin/app (comma-separated for several).");
        }
        CopyParameter p = new CopyParameter();
        p.from = entry.substring(0, colon);
        p.to = entry.substring(colon + 1);
        params.add(p);
      }
    } else if (configured != null) {
      params.addAll(configured);
    }
    List<Copy> copies = new ArrayList<>();
    for (CopyParameter p : params) {
      String from = p.from == null ? "" : p.from.trim();
      String to = p.to == null ? "" : p.to.trim();
      if (from.isEmpty() || to.isEmpty()) {
        throw new MsbuildException(
            "A <copy> needs both <from> and <to>" + (from.isEmpty() ? "" : " (the one from " + from + " has no <to>)") + ".",
            Setting.COPIES,
            "write it as <copy><from>/path/in/builder</from><to>/path/in/image</to></copy>.");
      }
      absolute(from, "builder stage", Setting.COPIES);
      absolute(to, "image", Setting.COPIES);
      copies.add(new Copy(from, to, mode(p.mode, Setting.COPIES), owner(p.owner, Setting.COPIES).orElse(Owner.ROOT)));
    }
    return copies;
  }

  /** Two sources for one image path would silently shadow each other: refuse it. */
  private static void checkDestinations(List<Copy> copies, boolean ca, Optional<FinalStageSpec.NonRootUser> user) {
    Map<String, String> seen = new HashMap<>();
    if (ca) {
      seen.put(CA_BUNDLE, Setting.CA_CERTIFICATES.toString());
    }
    if (user.isPresent()) {
      seen.put("/etc/passwd", Setting.NON_ROOT_USER.toString());
      seen.put("/etc/group", Setting.NON_ROOT_USER.toString());
    }
    for (Copy copy : copies) {
      String destination = copy.fileDestination();
      String earlier = seen.putIfAbsent(destination, "the <copy> from " + copy.from());
      if (earlier != null) {
        throw new MsbuildException(
            "The <copy> from " + copy.from() + " writes " + destination + ", which " + earlier + " writes too.",
            Setting.COPIES,
            "drop one of them: " + Setting.CA_CERTIFICATES + " already provides " + CA_BUNDLE + " and "
                + Setting.NON_ROOT_USER + " /etc/passwd and /etc/group.");
      }
    }
  }

  /** {@code name}, {@code name:uid} or {@code name:uid:gid}; the ids 65532 by default, the gid the uid's when not given. */
  private static Optional<FinalStageSpec.NonRootUser> nonRootUser(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String[] parts = text.trim().split(":", -1);
    String name = parts[0];
    if (!USER_NAME.matcher(name).matches()) {
      throw new MsbuildException(
          "'" + name + "' is not a user name that /etc/passwd can hold.",
          Setting.NON_ROOT_USER,
          "use lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters, for example app "
              + "(or app:10001, app:10001:10001 with a uid and gid).");
    }
    if (name.equals("root")) {
      throw new MsbuildException(
          "The non-root user cannot be called root.", Setting.NON_ROOT_USER, "pick another name, for example app.");
    }
    if (parts.length > 3) {
      throw new MsbuildException(
          "'" + text.trim() + "' has more than name:uid:gid.", Setting.NON_ROOT_USER, "write name, name:uid or name:uid:gid, for example app:10001.");
    }
    int uid = parts.length > 1 ? id(parts[1], text.trim()) : FinalStageSpec.NON_ROOT_ID;
    int gid = parts.length > 2 ? id(parts[2], text.trim()) : uid;
    return Optional.of(new FinalStageSpec.NonRootUser(name, uid, gid));
  }

  private static int id(String part, String text) {
    long id = part.matches("\\d{1,10}") ? Long.parseLong(part) : -1;
    if (id < 1 || id > Integer.MAX_VALUE) {
      throw new MsbuildException(
          "'" + part + "' in '" + text + "' is not a uid or gid for a non-root user: ids are numbers from 1 up (0 is root).",
          Setting.NON_ROOT_USER,
          "write name:uid or name:uid:gid with numbers, for example app:10001 or app:10001:10001.");
    }
    return (int) id;
  }

  /** {@code <artifactPath>}: an absolute file path, no {@code .} or {@code ..} segment, no trailing slash. */
  static Optional<String> artifactPath(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String path = text.trim();
    String problem = !path.startsWith("/") ? "is relative; the artifact's path in the image is absolute"
        : path.endsWith("/") ? "ends in '/'; it names the artifact's file, not a directory"
        : path.contains("//") ? "has an empty segment ('//')"
        : java.util.Arrays.stream(path.substring(1).split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))
            ? "has a '.' or '..' segment" : null;
    if (problem != null) {
      throw new MsbuildException(
          "The artifact path '" + path + "' " + problem + ".",
          Setting.ARTIFACT_PATH,
          "write the file's absolute path in the image, for example /bin/node_exporter or /nats-server "
              + "(the default is /app/<builder><output>).");
    }
    return Optional.of(path);
  }

  private static List<ExtraDirectory> extraDirectories(ExtraDirectoriesParameters extra, UserProperties props, Path basedir) {
    List<ExtraDirectoriesParameters.PathParameter> paths = new ArrayList<>();
    if (props.get(Setting.EXTRA_DIRECTORIES).isPresent()) {
      for (String entry : props.list(Setting.EXTRA_DIRECTORIES, List.of())) {
        var p = new ExtraDirectoriesParameters.PathParameter();
        int colon = entry.indexOf(':');
        p.from = colon < 0 ? entry : entry.substring(0, colon);
        p.into = colon < 0 ? null : entry.substring(colon + 1);
        paths.add(p);
      }
    } else if (extra.paths != null) {
      paths.addAll(extra.paths);
    } else {
      Path conventional = basedir.resolve(DEFAULT_EXTRA_DIRECTORY);
      return Files.isDirectory(conventional) ? List.of(new ExtraDirectory(conventional, "/")) : List.of();
    }
    List<ExtraDirectory> directories = new ArrayList<>();
    for (var p : paths) {
      if (p.from == null || p.from.isBlank()) {
        throw new MsbuildException(
            "An extra directory has no <from>.", Setting.EXTRA_DIRECTORIES,
            "write it as <path><from>src/main/image</from><into>/</into></path>.");
      }
      Path from = basedir.resolve(p.from.trim()).normalize();
      if (!Files.isDirectory(from) && !Files.isRegularFile(from)) {
        throw new MsbuildException(
            "The extra path " + from + " does not exist or is neither a directory nor a file.",
            Setting.EXTRA_DIRECTORIES,
            "create it, or correct the path (relative paths start at the project's directory, " + basedir + ").");
      }
      String into = p.into == null || p.into.isBlank() ? "/" : p.into.trim();
      absolute(into, "image", Setting.EXTRA_DIRECTORIES);
      // A directory's content goes into 'into'; a file to 'into' itself, or into it when it ends in '/'.
      directories.add(new ExtraDirectory(from, into));
    }
    return directories;
  }

  private static List<Permission> permissions(ExtraDirectoriesParameters extra, UserProperties props) {
    List<ExtraDirectoriesParameters.PermissionParameter> params = new ArrayList<>();
    if (props.get(Setting.EXTRA_PERMISSIONS).isPresent()) {
      for (Map.Entry<String, String> e : props.map(Setting.EXTRA_PERMISSIONS, Map.of()).entrySet()) {
        var p = new ExtraDirectoriesParameters.PermissionParameter();
        p.file = e.getKey();
        p.mode = e.getValue();
        params.add(p);
      }
    } else if (extra.permissions != null) {
      params.addAll(extra.permissions);
    }
    List<Permission> permissions = new ArrayList<>();
    for (var p : params) {
      String glob = p.file == null ? "" : p.file.trim();
      absolute(glob, "image", Setting.EXTRA_PERMISSIONS);
      Optional<Integer> mode = mode(p.mode, Setting.EXTRA_PERMISSIONS);
      Optional<Owner> owner = owner(p.owner, Setting.EXTRA_PERMISSIONS);
      if (mode.isEmpty() && owner.isEmpty()) {
        throw new MsbuildException(
            "The permission for " + glob + " sets neither <mode> nor <owner>.",
            Setting.EXTRA_PERMISSIONS,
            "give it <mode>755</mode>, <owner>1000:1000</owner> or both.");
      }
      permissions.add(new Permission(glob, mode, owner));
    }
    return permissions;
  }

  private static void absolute(String path, String where, Setting setting) {
    if (!path.startsWith("/")) {
      throw new MsbuildException(
          "'" + path + "' is a relative path; paths in the " + where + " are absolute.",
          setting,
          "write it from the root, for example /" + path.replaceFirst("^\\.?/*", "") + ".");
    }
    if (Path.of(path).normalize().toString().contains("..")) {
      throw new MsbuildException(
          "'" + path + "' climbs out of the root with '..'.", setting, "write the path without '..'.");
    }
  }

  static Optional<Integer> mode(String text, Setting setting) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    if (!MODE.matcher(text.trim()).matches()) {
      throw new MsbuildException(
          "'" + text + "' is not a file mode.", setting, "write it as three octal digits, for example 644 or 755.");
    }
    return Optional.of(Integer.parseInt(text.trim(), 8));
  }

  static Optional<Owner> owner(String text, Setting setting) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    var m = OWNER.matcher(text.trim());
    long uid = m.matches() ? Long.parseLong(m.group(1)) : -1;
    long gid = m.matches() ? Long.parseLong(m.group(2)) : -1;
    if (uid < 0 || gid < 0 || uid > Integer.MAX_VALUE || gid > Integer.MAX_VALUE) {
      throw new MsbuildException(
          "'" + text + "' is not an owner: owners are numeric uid:gid.",
          setting,
          "write it as numbers, for example 0:0 or 65532:65532 (names are resolved only at run time).");
    }
    return Optional.of(new Owner((int) uid, (int) gid));
  }
}
