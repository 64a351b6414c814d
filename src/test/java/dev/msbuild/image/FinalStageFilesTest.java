package dev.msbuild.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.FinalStageSpec.Owner;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import dev.msbuild.rootfs.RootPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The final stage's files, from a fake builder filesystem in a temp dir. */
class FinalStageFilesTest {
  @TempDir Path dir;
  private Path root;
  private BuilderFiles builder;

  @BeforeEach
  void builderImage() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("etc/ssl/certs"));
    Files.writeString(root.resolve("etc/ssl/certs/ca-certificates.crt"), "-----BEGIN CERTIFICATE-----\n");
    Files.createDirectories(root.resolve("usr/local/go/lib/time"));
    Files.writeString(root.resolve("usr/local/go/lib/time/zoneinfo.zip"), "zip");
    Files.createDirectories(root.resolve("etc/apk/keys"));
    Files.writeString(root.resolve("etc/apk/repositories"), "repo\n");
    Files.writeString(root.resolve("etc/apk/keys/k.pub"), "key\n");
    Files.createSymbolicLink(root.resolve("etc/apk/current"), Path.of("repositories"));
    builder = path -> RootPaths.resolve(root, path);
  }

  private FinalStageFiles assemble(FinalStageSpec spec, List<Path> baseLayers) {
    return FinalStageFiles.assemble(spec, builder, users(baseLayers), () -> Optional.of("/usr/local/go"));
  }

  private static UserDatabase users(List<Path> baseLayers) {
    try {
      return UserDatabase.of(ImageFiles.read(baseLayers, UserDatabase.FILES::contains, ImageFiles.Limits.DEFAULT));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static FinalStageSpec spec(List<FinalStageSpec.Copy> copies, boolean ca, boolean zoneinfo, String user) {
    return new FinalStageSpec(copies, ca, zoneinfo, Optional.ofNullable(user).map(FinalStageSpec.NonRootUser::new), List.of(), List.of(), Optional.empty());
  }

  private static LayerEntry at(List<LayerEntry> entries, String path) {
    return entries.stream().filter(e -> e.imagePath().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path + " in " + entries));
  }

  @Test
  void caBundleZoneinfoAndNonRootUserOnScratch() {
    FinalStageFiles files = assemble(spec(List.of(), true, true, "app"), List.of());
    assertEquals(0644, at(files.builderFiles(), "/etc/ssl/certs/ca-certificates.crt").mode());
    assertEquals(Map.of("ZONEINFO", "/usr/local/go/lib/time/zoneinfo.zip"), files.environment());
    LayerEntry.BytesEntry passwd = (LayerEntry.BytesEntry) at(files.builderFiles(), "/etc/passwd");
    assertEquals("root:x:0:0:root:/root:/sbin/nologin\napp:x:65532:65532:app:/home/app:/sbin/nologin\n",
        new String(passwd.content(), StandardCharsets.UTF_8));
    assertEquals(new Owner(65532, 65532), at(files.builderFiles(), "/home/app").owner());
    assertEquals(Optional.of("65532:65532"), files.defaultUser());
    files.checkUser("app");
    files.checkUser("app:app");
    files.checkUser("1000:1000");
    MsbuildException e = assertThrows(MsbuildException.class, () -> files.checkUser("ghost"));
    assertEquals(Optional.of(Setting.CONTAINER_USER), e.setting());
  }

  @Test
  void copiesFileIntoDirectoryAndDirectoryWholeWithSymlinksKept() {
    FinalStageFiles files = assemble(spec(List.of(
        new FinalStageSpec.Copy("/etc/ssl/certs/ca-certificates.crt", "/certs/", Optional.of(0444), Owner.ROOT),
        new FinalStageSpec.Copy("/etc/apk", "/opt/apk", Optional.empty(), new Owner(1000, 1000))), false, false, null), List.of());
    assertEquals(0444, at(files.builderFiles(), "/certs/ca-certificates.crt").mode());
    assertEquals(new Owner(1000, 1000), at(files.builderFiles(), "/opt/apk").owner());
    assertTrue(at(files.builderFiles(), "/opt/apk/keys") instanceof LayerEntry.DirectoryEntry);
    assertEquals("repositories", ((LayerEntry.SymlinkEntry) at(files.builderFiles(), "/opt/apk/current")).target());
    assertEquals(Optional.empty(), files.defaultUser());
  }

  @Test
  void missingSourcesNameTheirSetting() {
    MsbuildException copy = assertThrows(MsbuildException.class, () -> assemble(spec(List.of(
        new FinalStageSpec.Copy("/etc/nope", "/x", Optional.empty(), Owner.ROOT)), false, false, null), List.of()));
    assertEquals(Optional.of(Setting.COPIES), copy.setting());
    assertTrue(copy.getMessage().contains("/etc/nope"));
    builder = path -> Optional.empty();
    assertEquals(Optional.of(Setting.CA_CERTIFICATES),
        assertThrows(MsbuildException.class, () -> assemble(spec(List.of(), true, false, null), List.of())).setting());
    assertEquals(Optional.of(Setting.ZONEINFO),
        assertThrows(MsbuildException.class, () -> assemble(spec(List.of(), false, true, null), List.of())).setting());
  }

  @Test
  void usersOfTheBaseAreKeptAndWhiteoutsHonoured() throws IOException {
    Path first = layer("one.tar.gz", "etc/passwd", "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\n",
        "etc/group", "root:x:0:\nnogroup:x:65534:\n");
    FinalStageFiles files = assemble(spec(List.of(), false, false, "app"), List.of(first));
    String passwd = new String(((LayerEntry.BytesEntry) at(files.builderFiles(), "/etc/passwd")).content(), StandardCharsets.UTF_8);
    assertTrue(passwd.startsWith("root:x:0:0::/root:/bin/sh\nnobody:"), passwd);
    assertTrue(passwd.endsWith("app:x:65532:65532:app:/home/app:/sbin/nologin\n"), passwd);
    files.checkUser("nobody:nogroup");

    Path second = layer("two.tar.gz", "etc/.wh.passwd", "");
    UserDatabase users = users(List.of(first, second));
    assertEquals(Optional.empty(), users.passwd());
    assertTrue(users.group().isPresent());
  }

  @Test
  void extraFilesKeepSymlinksAndApplyPermissions() throws IOException {
    Path extra = Files.createDirectories(dir.resolve("project/src/main/image"));
    Files.createDirectories(extra.resolve("etc/app"));
    Files.writeString(extra.resolve("etc/app/config-v1.yaml"), "v1");
    Files.createSymbolicLink(extra.resolve("etc/app/current"), Path.of("config-v1.yaml"));
    Files.writeString(extra.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(extra.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(extra.resolve("secret.txt"), "s");
    FinalStageSpec spec = new FinalStageSpec(List.of(), false, false, Optional.empty(),
        List.of(new FinalStageSpec.ExtraDirectory(extra, "/srv")),
        List.of(new FinalStageSpec.Permission("/srv/*.txt", Optional.of(0600), Optional.of(new Owner(7, 8)))), Optional.empty());
    List<LayerEntry> entries = ExtraFiles.entries(spec);
    assertEquals("config-v1.yaml", ((LayerEntry.SymlinkEntry) at(entries, "/srv/etc/app/current")).target());
    assertEquals(0644, at(entries, "/srv/etc/app/config-v1.yaml").mode());
    assertEquals(0755, at(entries, "/srv/run.sh").mode());
    assertEquals(0600, at(entries, "/srv/secret.txt").mode());
    assertEquals(new Owner(7, 8), at(entries, "/srv/secret.txt").owner());

    // Written as a layer: the link is a link, and writing twice gives the same bytes.
    AppLayer one = AppLayer.writeEntries(entries, dir.resolve("one.tar.gz"));
    List<LayerEntry> reversed = new ArrayList<>(entries);
    java.util.Collections.reverse(reversed);
    AppLayer two = AppLayer.writeEntries(reversed, dir.resolve("two.tar.gz"));
    assertEquals(one.digest(), two.digest());
    assertArrayEquals(Files.readAllBytes(one.file()), Files.readAllBytes(two.file()));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(one.file()));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      boolean sawLink = false;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals("srv/etc/app/current")) {
          assertTrue(entry.isSymbolicLink());
          assertEquals("config-v1.yaml", entry.getLinkName());
          sawLink = true;
        }
        if (entry.getName().equals("srv/secret.txt")) {
          assertEquals(7, entry.getLongUserId());
          assertEquals(0100600, entry.getMode());
        }
      }
      assertTrue(sawLink);
    }
  }

  private Path layer(String name, String... pathsAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (int i = 0; i < pathsAndContents.length; i += 2) {
        byte[] content = pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(pathsAndContents[i]);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return Files.write(dir.resolve(name), bytes.toByteArray());
  }
}
