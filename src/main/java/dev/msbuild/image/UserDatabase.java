package dev.msbuild.image;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The final image's {@code /etc/passwd} and {@code /etc/group}, so that a user named in the
 * container config is known to exist at build time rather than failing at {@code docker run}.
 *
 * @param passwd the file's text, empty when the image has none
 * @param group the file's text, empty when the image has none
 */
public record UserDatabase(Optional<String> passwd, Optional<String> group) {
  public static final UserDatabase EMPTY = new UserDatabase(Optional.empty(), Optional.empty());

  /** Reads the files from a base image's layers, base first: later layers win, whiteouts remove. */
  public static UserDatabase fromLayers(List<Path> layers) throws IOException {
    Optional<String> passwd = Optional.empty();
    Optional<String> group = Optional.empty();
    for (Path layer : layers) {
      try (InputStream in = LayerUnpacker.decompressed(Files.newInputStream(layer));
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          String name = entry.getName().replaceFirst("^(\\./|/)+", "");
          switch (name) {
            case "etc/passwd" -> passwd = entry.isFile() ? Optional.of(text(tar)) : Optional.empty();
            case "etc/group" -> group = entry.isFile() ? Optional.of(text(tar)) : Optional.empty();
            case "etc/.wh.passwd" -> passwd = Optional.empty();
            case "etc/.wh.group" -> group = Optional.empty();
            case "etc/.wh..wh..opq", ".wh.etc" -> {
              passwd = Optional.empty();
              group = Optional.empty();
            }
            default -> { }
          }
        }
      }
    }
    return new UserDatabase(passwd, group);
  }

  private static String text(TarArchiveInputStream tar) throws IOException {
    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** This database with a non-root user (uid and gid 65532) appended, root added when there was no file. */
  public UserDatabase withNonRootUser(String name) {
    int id = FinalStageSpec.NON_ROOT_ID;
    String passwdLine = name + ":x:" + id + ":" + id + ":" + name + ":/home/" + name + ":/sbin/nologin\n";
    String groupLine = name + ":x:" + id + ":\n";
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
