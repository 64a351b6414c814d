package dev.msbuild.publish;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import dev.msbuild.config.BuildLog;
import dev.msbuild.config.ImageName;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.image.AssembledImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/** Writes a docker-loadable archive ({@code docker load -i image.tar}); no registry involved. */
public final class TarPublisher implements ImagePublisher {
  private final ImageName name;
  private final Path file;
  private final Path cacheDirectory;
  private final String platform;
  private final BuildLog log;

  public TarPublisher(ImageName name, Path file, Path cacheDirectory, String platform, BuildLog log) {
    this.name = name;
    this.file = file;
    this.cacheDirectory = cacheDirectory;
    this.platform = platform;
    this.log = log;
  }

  @Override
  public PublishResult publish(AssembledImage image) {
    ImageReference reference = ImageReference.of(name.registry(), name.repository(), name.tag(), null);
    Path temp = file.resolveSibling(file.getFileName() + ".part");
    JibContainer container =
        JibContainerizing.run(
            image,
            JibContainerizing.configure(Containerizer.to(TarImage.at(temp).named(reference)), cacheDirectory, log),
            file.toString());
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
        image.staged().baseDigest(),
        Optional.of(file));
  }
}
