package dev.msbuild.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.config.AtomicFiles;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.image.AssembledImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Decorates a publisher with the files pipelines read: {@code image.digest}, {@code image.id} and
 * {@code image.json}, each written whole (temp file, then rename).
 */
public final class OutputFiles implements ImagePublisher {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ImagePublisher delegate;
  private final Path directory;

  public OutputFiles(ImagePublisher delegate, Path directory) {
    this.delegate = delegate;
    this.directory = directory;
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    PublishResult result = delegate.publish(image);
    ObjectNode json = JSON.createObjectNode();
    json.put("reference", result.reference());
    json.put("digest", result.digest());
    json.put("imageId", result.imageId());
    result.tags().forEach(json.putArray("tags")::add);
    json.putArray("platforms").add(result.platform());
    json.put("compressedSize", result.compressedSize());
    json.put("baseName", result.baseName().orElse(null));
    json.put("baseDigest", result.baseDigest().orElse(null));
    json.put("format", result.format());
    json.put("pushedBytes", result.pushedBytes());
    json.put("reusedBytes", result.reusedBytes());
    result.tarFile().ifPresent(f -> json.put("tarFile", f.toString()));
    try {
      write("image.digest", result.digest() + "\n");
      write("image.id", result.imageId() + "\n");
      write("image.json", JSON.writeValueAsString(json) + "\n");
    } catch (IOException e) {
      throw new MsbuildException(
          "Could not write the image outputs in " + directory + ": " + e.getMessage(), null, "check that target/ is writable.", e);
    }
    return result;
  }

  private void write(String name, String content) throws IOException {
    AtomicFiles.writeString(directory.resolve(name), content);
  }
}
