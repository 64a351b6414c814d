package dev.msbuild.image;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.rootfs.BoundedTarInput;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the final stage reads from the base image, in one bounded pass over its layers: the names
 * of its files, for the artifact and runtime checks, and the content of the few small files a
 * check asks for (the user database, the loader's configuration). Nothing is read when nothing
 * needs it. The base's layers come from a registry: past {@link ImageFiles.Limits#DEFAULT} the
 * build stops with a message that says what was too large.
 *
 * @param files the base's files; {@link ImageFiles#EMPTY} for scratch, or when nothing asked
 * @param users its /etc/passwd and /etc/group, when asked for
 */
public record BaseFiles(ImageFiles files, UserDatabase users) {
  /** Scratch, or a base whose files nothing needs. */
  public static final BaseFiles NONE = new BaseFiles(ImageFiles.EMPTY, UserDatabase.EMPTY);

  /**
   * @param users whether the user database is needed ({@link UserDatabase#needed})
   * @param keep other files whose content a check needs
   */
  public static BaseFiles read(Optional<PulledImage> base, boolean users, Predicate<String> keep) {
    return read(base, users, keep, ImageFiles.Limits.DEFAULT);
  }

  static BaseFiles read(Optional<PulledImage> base, boolean users, Predicate<String> keep, ImageFiles.Limits limits) {
    if (base.isEmpty()) {
      return NONE;
    }
    PulledImage image = base.get();
    Predicate<String> kept = users ? keep.or(UserDatabase.FILES::contains) : keep;
    try {
      ImageFiles files = ImageFiles.read(image.layers().stream().map(PulledImage.Layer::file).toList(), kept, limits);
      return new BaseFiles(files, users ? UserDatabase.of(files) : UserDatabase.EMPTY);
    } catch (ImageFiles.LimitExceededException | BoundedTarInput.MetadataTooLargeException e) {
      throw new MsbuildException(
          "The base image " + image.requested() + " is refused: " + e.getMessage() + ". Its layers come from the registry "
              + "and are read within fixed bounds, past which they are taken for a hostile or broken image.",
          Setting.FROM_IMAGE,
          "use another base image; if you built this one, look at the file named above (a real /etc/passwd is a few KB).",
          e);
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not read the layers of the base image " + image.requested() + ": " + e.getMessage() + ".",
          Setting.FROM_IMAGE,
          "use another base image: its layers matched their digests when they were pulled, so this is what the "
              + "registry serves.",
          e);
    }
  }
}
