package dev.msbuild.stage;

import dev.msbuild.config.Platform;
import java.nio.file.Path;

/** What the builder stage produced: one file for one platform, and its name in the image. */
public record Artifact(Path file, String name, Platform platform) {}
