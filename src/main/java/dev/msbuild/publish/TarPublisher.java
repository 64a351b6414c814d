package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.TarFormat;
import dev.msbuild.image.AssembledImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Writes the image to a file, no registry involved: a {@code docker load} archive, or an OCI image
 * layout (Jib writes one when the image format is OCI) that skopeo, crane and podman read.
 */
public final class TarPublisher implements ImagePublisher {
  private final ImageName name;
  private final Path file;
  private final TarFormat format;
  private final Path cacheDirectory;
  private final String platform;
  private final BuildLog log;

  public TarPublisher(ImageName name, Path file, TarFormat format, Path cacheDirectory, String platform, BuildLog log) {
    this.name = name;
    this.file = file;
    this.format = format;
    this.cacheDirectory = cacheDirectory;
    this.platform = platform;
    this.log = log;
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    // The archive's format decides the manifest format: docker load reads Docker manifests only.
    image.jib().setFormat(format == TarFormat.OCI ? ImageFormat.OCI : ImageFormat.Docker);
    ImageReference reference = ImageReference.of(name.registry(), name.repository(), name.tag(), null);
    Path temp = file.resolveSibling(file.getFileName() + ".part");
    JibContainer container =
        JibContainerizing.run(
            image,
            JibContainerizing.configure(Containerizer.to(TarImage.at(temp).named(reference)), cacheDirectory, log),
            file.toString(), log);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new MsbuildException("Could not write " + file + ": " + e.getMessage(), null, "check that target/ is writable.", e);
    }
    String digest = container.getDigest().toString();
    return new PublishResult(
        name + "@" + digest,
        digest,
        container.getImageId().toString(),
        name.tag() == null ? List.of() : List.of(name.tag()),
        platform,
        image.staged().compressedSize(),
        image.staged().baseName(),
        image.staged().baseDigest(),
        Optional.of(file),
        format == TarFormat.OCI ? "OCI" : "Docker",
        0,
        0,
        List.of());
  }
}
