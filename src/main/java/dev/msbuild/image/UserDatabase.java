package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The final image's {@code /etc/passwd} and {@code /etc/group}, so that a user named in the
 * container config is known to exist at build time rather than failing at {@code docker run}.
 *
 * @param passwd the file's text, empty when the image has none
 * @param group the file's text, empty when the image has none
 */
public record UserDatabase(Optional<String> passwd, Optional<String> group) {
  public static final UserDatabase EMPTY = new UserDatabase(Optional.empty(), Optional.empty());

  /** The files, for {@link ImageFiles#read}'s {@code keep}. */
  public static final Set<String> FILES = Set.of("/etc/passwd", "/etc/group");

  /** The files as read from an image's layers (with {@link #FILES} kept); symlinks followed, whiteouts honoured. */
  public static UserDatabase of(ImageFiles image) {
    return new UserDatabase(text(image, "/etc/passwd"), text(image, "/etc/group"));
  }

  private static Optional<String> text(ImageFiles image, String path) {
    return image.content(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Whether a build needs the base's user database: a user given by name (a number needs no
   * entry), or a non-root user to add to the base's files.
   */
  public static boolean needed(String user, Optional<String> nonRootUser) {
    if (nonRootUser.isPresent()) {
      return true;
    }
    return user != null && !user.isBlank() && Arrays.stream(user.split(":", 2)).anyMatch(part -> !isNumber(part));
  }

  /** This database with a non-root user appended (uid and gid 65532 by default), root added when there was no file. */
  public UserDatabase withNonRootUser(String name) {
    return withNonRootUser(new FinalStageSpec.NonRootUser(name));
  }

  /** This database with the user and a group of its name (its gid) appended, root added when there was no file. */
  public UserDatabase withNonRootUser(FinalStageSpec.NonRootUser user) {
    String name = user.name();
    String passwdLine = name + ":x:" + user.uid() + ":" + user.gid() + ":" + name + ":" + user.home() + ":/sbin/nologin\n";
    String groupLine = name + ":x:" + user.gid() + ":\n";
    return new UserDatabase(
        Optional.of(appended(passwd.orElse("root:x:0:0:root:/root:/sbin/nologin\n"), passwdLine, name)),
        Optional.of(appended(group.orElse("root:x:0:\n"), groupLine, name)));
  }

  private static String appended(String text, String line, String name) {
    StringBuilder out = new StringBuilder();
    for (String existing : text.split("\n")) {
      if (!existing.isEmpty() && !existing.startsWith(name + ":")) {
        out.append(existing).append('\n');
      }
    }
    return out.append(line).toString();
  }

  /**
   * Checks {@code user}, {@code user:group}, {@code uid} or {@code uid:gid}: numbers always pass
   * (the kernel needs no entry for them), names must be in the image.
   */
  public void check(String user) {
    String[] parts = user.split(":", 2);
    if (!isNumber(parts[0]) && !has(passwd, parts[0])) {
      throw unknown("user", parts[0], passwd.isPresent());
    }
    if (parts.length == 2 && !isNumber(parts[1]) && !has(group, parts[1])) {
      throw unknown("group", parts[1], group.isPresent());
    }
  }

  private static MsbuildException unknown(String kind, String name, boolean fileExists) {
    String file = kind.equals("user") ? "/etc/passwd" : "/etc/group";
    return new MsbuildException(
        "The container " + kind + " '" + name + "' is not in the image's " + file
            + (fileExists ? "." : " (the image has no " + file + ")."),
        Setting.CONTAINER_USER,
        "use a number (for example 65532:65532), add the user with " + Setting.NON_ROOT_USER
            + ", or use a base image that has it.");
  }

  private static boolean has(Optional<String> file, String name) {
    return file.isPresent() && file.get().lines().anyMatch(line -> line.startsWith(name + ":"));
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
  }
}
