package dev.msbuild.stage;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.BuilderSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.rootfs.LayerUnpacker;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Build secrets as files for /run/secrets, in memory-backed storage where there is some:
 * {@code /dev/shm/msbuild-secrets-uid<uid>/<pid>-<start>-<random>/}, the parent this user's alone
 * (0700). The directory goes when the build step ends ({@link #close()}), or, if the JVM is
 * stopped meanwhile, from a shutdown hook; a build killed with kill -9 leaves it, and the next
 * build that runs a builder stage removes it ({@link #removeAbandoned}), since its owner no longer runs.
 */
final class SecretFiles implements AutoCloseable {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static final int UID = uid();

  private final Path directory;
  private final OnShutdown hook;

  private SecretFiles(Path directory) {
    this.directory = directory;
    this.hook = OnShutdown.run("msbuild-remove-secrets", () -> deleteQuietly(directory));
  }

  /** The directory mounted at /run/secrets. */
  Path directory() {
    return directory;
  }

  /** Writes each secret to a file of its own (0400) in a fresh directory of this build. */
  static SecretFiles write(List<BuilderSpec.Secret> secrets) throws IOException {
    Path dir = OwnedPaths.createDirectory(parent(), "", "", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    SecretFiles files = new SecretFiles(dir);
    try {
      for (BuilderSpec.Secret secret : secrets) {
        Path file = Files.createFile(dir.resolve(secret.id()), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret.value());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
      }
      return files;
    } catch (IOException | RuntimeException e) {
      files.close();
      throw e;
    }
  }

  /** Removes the secrets of builds that were killed before they could; the log says whose. */
  static void removeAbandoned(BuildLog log) {
    Path parent = base().resolve(parentName());
    try {
      if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS) || !ownedByMe(parent)) {
        return;
      }
      for (OwnedPaths.Removed removed : OwnedPaths.removeAbandoned(parent, "")) {
        log.info("Removed build secrets left by a build that was killed (pid " + removed.owner().pid()
            + " no longer runs): " + removed.path());
      }
    } catch (IOException e) {
      log.warn("Could not remove build secrets left by killed builds in " + parent + ": " + e.getMessage());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      LayerUnpacker.deleteRecursively(directory);
    } finally {
      hook.close();
    }
  }

  /** This user's directory of secrets, made 0700 if it is new; refused if another user made it. */
  private static Path parent() throws IOException {
    Path parent = base().resolve(parentName());
    try {
      Files.createDirectory(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      // made by an earlier build: checked below
    }
    if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS) || !ownedByMe(parent)) {
      throw new MsbuildException(
          parent + " is not a directory of this user's: build secrets cannot be written there safely.",
          Setting.BUILDER_SECRETS,
          "remove " + parent + " (another user, or something other than this plugin, made it) and run the build again.");
    }
    if (!Files.getPosixFilePermissions(parent, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(parent, OWNER_ONLY);
    }
    return parent;
  }

  /** /dev/shm where it is writable (the secrets then never touch a disk), else the temporary directory. */
  private static Path base() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static String parentName() {
    return "msbuild-secrets-uid" + UID;
  }

  private static boolean ownedByMe(Path path) throws IOException {
    Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    return owner instanceof Integer uid && uid == UID;
  }

  /** This process's user id: the owner of its /proc entry, else the owner of a file it makes. */
  private static int uid() {
    int uid = dev.msbuild.rootfs.RootPaths.processId("uid");
    if (uid >= 0) {
      return uid;
    }
    try {
      Path probe = Files.createTempFile("msbuild-uid", "");
      try {
        return (Integer) Files.getAttribute(probe, "unix:uid");
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      LayerUnpacker.deleteRecursively(dir);
    } catch (IOException e) {
      // The JVM is going down; the next build removes what is left.
    }
  }
}
