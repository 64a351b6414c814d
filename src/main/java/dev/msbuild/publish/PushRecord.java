package dev.msbuild.publish;

import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.msbuild.config.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the last push from this build directory sent where: the image's key, its digest and id,
 * and the reference and tags it went to. When the next image has the same key and the registry
 * still answers every tag with that digest, there is nothing to push.
 */
final class PushRecord {
  static final String FILE = "push-record.properties";

  /**
   * @param key the image's key plus where it goes (reference, tags)
   */
  record Pushed(String key, String digest, String imageId) {}

  private PushRecord() {}

  static Optional<Pushed> read(Path directory) {
    Path file = directory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(file)));
      String key = p.getProperty("key");
      String digest = p.getProperty("digest");
      String imageId = p.getProperty("imageId");
      return key == null || digest == null || imageId == null ? Optional.empty() : Optional.of(new Pushed(key, digest, imageId));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static void write(Path directory, Pushed pushed) throws IOException {
    Files.createDirectories(directory);
    AtomicFiles.writeString(directory.resolve(FILE),
        "key=" + pushed.key() + "\ndigest=" + pushed.digest() + "\nimageId=" + pushed.imageId() + "\n");
  }

  /** Drops the record before a push: a failed push must not leave the previous one standing. */
  static void forgetQuietly(Path directory) {
    try {
      Files.deleteIfExists(directory.resolve(FILE));
    } catch (IOException e) {
      // the next build compares keys and registry digests anyway
    }
  }

  /** Whether the registry answers each tag with {@code digest}. */
  static boolean everyTagAt(RegistryClient client, List<String> tags, String digest) throws Exception {
    for (String tag : tags) {
      Optional<ManifestAndDigest<com.google.cloud.tools.jib.image.json.ManifestTemplate>> found = client.checkManifest(tag);
      if (found.isEmpty() || !found.get().getDigest().toString().equals(digest)) {
        return false;
      }
    }
    return !tags.isEmpty();
  }
}
