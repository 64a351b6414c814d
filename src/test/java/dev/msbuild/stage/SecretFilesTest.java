package dev.msbuild.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuilderSpec;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets in this user's 0700 directory, gone after the step; what killed builds left is removed by the next. */
class SecretFilesTest {
  @Test
  void secretsLiveInAPrivateDirectoryOfThisBuildUntilTheStepEnds() throws Exception {
    Path dir;
    try (SecretFiles files = SecretFiles.write(List.of(new BuilderSpec.Secret("token", "s3cr3t"), new BuilderSpec.Secret("key", RedactorTest.PEM)))) {
      dir = files.directory();
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent(), LinkOption.NOFOLLOW_LINKS)));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      assertTrue(dir.getParent().getFileName().toString().startsWith("msbuild-secrets-uid"), dir.toString());
      assertTrue(dir.getFileName().toString().startsWith(ProcessStamp.current().text() + "-"), dir.toString());
      assertEquals("s3cr3t", Files.readString(dir.resolve("token")));
      assertEquals(RedactorTest.PEM, Files.readString(dir.resolve("key")));
      assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key"))));
    }
    assertFalse(Files.exists(dir));
  }

  @Test
  void theSecretsOfKilledBuildsAreRemovedAndTheLogSaysSo() throws Exception {
    Path parent;
    try (SecretFiles files = SecretFiles.write(List.of(new BuilderSpec.Secret("token", "s3cr3t")))) {
      parent = files.directory().getParent();
    }
    ProcessStamp dead = OwnedPathsTest.deadProcess();
    Path abandoned = Files.createDirectory(parent.resolve(dead.text() + "-0badf00d"));
    Files.writeString(abandoned.resolve("token"), "left-by-a-killed-build");
    Path reused = Files.createDirectory(parent.resolve(OwnedPathsTest.reusedPid().text() + "-0badf00e"));
    Path live = Files.createDirectory(parent.resolve(ProcessStamp.of(1).orElseThrow().text() + "-0badf00f"));
    try {
      List<String> logged = new ArrayList<>();
      SecretFiles.removeAbandoned(ProcessRunnerTest.recording(logged));
      assertFalse(Files.exists(abandoned));
      assertFalse(Files.exists(reused));
      assertTrue(Files.isDirectory(live), "the secrets of a running build were removed");
      assertTrue(logged.contains("Removed build secrets left by a build that was killed (pid " + dead.pid() + " no longer runs): "
          + abandoned), String.join("\n", logged));
      assertEquals(2, logged.size(), String.join("\n", logged));
    } finally {
      Files.deleteIfExists(live);
    }
  }
}
