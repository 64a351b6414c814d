package dev.msbuild.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.image.AssembledImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decorates a publisher with the files pipelines read: {@code image.digest}, {@code image.id} and
 * {@code image.json}. They are removed before a build does anything, and written (each whole:
 * temp file, then rename) only once the image is published and read back, so a pipeline step
 * after a failed build never finds the previous build's digest.
 */
public final class OutputFiles implements ImagePublisher {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ImagePublisher delegate;
  private final Path directory;

  public OutputFiles(ImagePublisher delegate, Path directory) {
    this.delegate = delegate;
    this.directory = directory;
  }

  static final java.util.List<String> FILES = java.util.List.of("image.digest", "image.id", "image.json");

  /** Removes the outputs of an earlier build; called when a build starts. */
  public static void clear(Path directory) {
    try {
      for (String name : FILES) {
        Files.deleteIfExists(directory.resolve(name));
      }
    } catch (IOException e) {
      throw new MsbuildException("Could not remove the last build's outputs in " + directory + ": " + e.getMessage(), null,
          "check that target/ is writable.", e);
    }
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    return record(delegate.publish(image), directory);
  }

  /** Writes the outputs of {@code result} into {@code directory} and returns it. */
  public static PublishResult record(PublishResult result, Path directory) {
    ObjectNode json = JSON.createObjectNode();
    json.put("reference", result.reference());
    json.put("digest", result.digest());
    json.put("imageId", result.imageId());
    result.tags().forEach(json.putArray("tags")::add);
    var platforms = json.putArray("platforms");
    if (result.manifests().isEmpty()) {
      platforms.add(result.platform());
    } else {
      result.manifests().forEach(m -> platforms.add(m.platform()));
      var manifests = json.putArray("manifests");
      result.manifests().forEach(m -> manifests.addObject().put("platform", m.platform()).put("digest", m.digest()).put("size", m.size()));
    }
    json.put("compressedSize", result.compressedSize());
    json.put("baseName", result.baseName().orElse(null));
    json.put("baseDigest", result.baseDigest().orElse(null));
    json.put("format", result.format());
    json.put("pushedBytes", result.pushedBytes());
    json.put("reusedBytes", result.reusedBytes());
    result.tarFile().ifPresent(f -> json.put("tarFile", f.toString()));
    var attachments = json.putArray("attachments");
    result.attachments().forEach(a -> attachments.addObject().put("platform", a.platform()).put("subject", a.subject())
        .put("artifactType", a.artifactType()).put("digest", a.digest()).put("size", a.size()).put("documentSize", a.documentSize()));
    try {
      AtomicFiles.writeString(directory.resolve("image.digest"), result.digest() + "\n");
      AtomicFiles.writeString(directory.resolve("image.id"), result.imageId() + "\n");
      AtomicFiles.writeString(directory.resolve("image.json"), JSON.writeValueAsString(json) + "\n");
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not write the image outputs in " + directory + ": " + e.getMessage(), null, "check that target/ is writable.", e);
    }
    return result;
  }
}
