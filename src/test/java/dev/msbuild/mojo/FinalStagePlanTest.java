package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.FinalStageSpec;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinalStagePlanTest {
  @TempDir Path basedir;

  private static UserProperties cli(String... keyValues) {
    Properties props = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return new UserProperties(props, new Properties());
  }

  private FinalStageSpec create(FinalStagePlan.Parameters params, UserProperties props) {
    return FinalStagePlan.create(params, props, basedir);
  }

  private static FinalStagePlan.Parameters none() {
    return new FinalStagePlan.Parameters(null, false, false, null, null);
  }

  @Test
  void nothingConfiguredMeansNothingAdded() {
    assertEquals(FinalStageSpec.NONE, create(none(), cli()));
  }

  @Test
  void conventionalExtraDirectoryIsPickedUpWhenPresent() throws IOException {
    Files.createDirectories(basedir.resolve("src/main/image"));
    FinalStageSpec spec = create(none(), cli());
    assertEquals(List.of(new FinalStageSpec.ExtraDirectory(basedir.resolve("src/main/image"), "/")), spec.extraDirectories());
  }

  @Test
  void copiesFromPomWithModeAndOwner() {
    CopyParameter copy = new CopyParameter();
    copy.from = "/etc/ssl/certs/ca-certificates.crt";
    copy.to = "/etc/ssl/certs/";
    copy.mode = "0444";
    copy.owner = "65532:65532";
    FinalStageSpec spec = create(new FinalStagePlan.Parameters(List.of(copy), false, false, null, null), cli());
    FinalStageSpec.Copy only = spec.copies().get(0);
    assertEquals(Optional.of(0444), only.mode());
    assertEquals(new FinalStageSpec.Owner(65532, 65532), only.owner());
  }

  @Test
  void copiesFromProperty() {
    FinalStageSpec spec = create(none(), cli("msbuild.copies", "/out/app:/usr/local/bin/app, /etc/passwd:/etc/"));
    assertEquals(2, spec.copies().size());
    assertEquals("/usr/local/bin/app", spec.copies().get(0).to());
    assertEquals(FinalStageSpec.Owner.ROOT, spec.copies().get(1).owner());
  }

  @Test
  void switchesFromProperties() {
    FinalStageSpec spec = create(none(), cli("msbuild.caCertificates", "true", "msbuild.zoneinfo", "", "msbuild.nonRootUser", "app"));
    assertTrue(spec.caCertificates());
    assertTrue(spec.zoneinfo());
    assertEquals(Optional.of(new FinalStageSpec.NonRootUser("app", 65532, 65532)), spec.nonRootUser());
  }

  @Test
  void extraDirectoriesWithIntoAndPermissions() throws IOException {
    Files.createDirectories(basedir.resolve("files"));
    FinalStageSpec spec = create(none(), cli(
        "msbuild.extraDirectories.paths", "files:/opt/app",
        "msbuild.extraDirectories.permissions", "/opt/app/*.sh=755,/opt/app/secret=600"));
    assertEquals("/opt/app", spec.extraDirectories().get(0).into());
    assertEquals(Optional.of(0755), spec.permissions().get(0).mode());
    assertEquals(Optional.of(0600), spec.permissions().get(1).mode());
  }

  private MsbuildException refused(UserProperties props) {
    return assertThrows(MsbuildException.class, () -> create(none(), props));
  }

  @Test
  void badInputNamesTheSetting() {
    assertEquals(Optional.of(Setting.COPIES), refused(cli("msbuild.copies", "/only-from")).setting());
    assertEquals(Optional.of(Setting.COPIES), refused(cli("msbuild.copies", "relative:/x")).setting());
    assertEquals(Optional.of(Setting.COPIES), refused(cli("msbuild.copies", "/x:relative")).setting());
    assertEquals(Optional.of(Setting.NON_ROOT_USER), refused(cli("msbuild.nonRootUser", "Bad User")).setting());
    assertEquals(Optional.of(Setting.NON_ROOT_USER), refused(cli("msbuild.nonRootUser", "root")).setting());
    assertEquals(Optional.of(Setting.EXTRA_DIRECTORIES), refused(cli("msbuild.extraDirectories.paths", "missing")).setting());
    assertEquals(Optional.of(Setting.EXTRA_PERMISSIONS),
        refused(cli("msbuild.extraDirectories.permissions", "/x=999")).setting());
    assertEquals(Optional.of(Setting.EXTRA_PERMISSIONS),
        refused(cli("msbuild.extraDirectories.permissions", "x=755")).setting());
  }

  @Test
  void twoSourcesForOneFileAreRefused() {
    MsbuildException e = refused(cli("msbuild.caCertificates", "true",
        "msbuild.copies", "/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/"));
    assertEquals(Optional.of(Setting.COPIES), e.setting());
    assertTrue(e.getMessage().contains("/etc/ssl/certs/ca-certificates.crt"), e.getMessage());
    assertEquals(Optional.of(Setting.COPIES),
        refused(cli("msbuild.nonRootUser", "app", "msbuild.copies", "/etc/passwd:/etc/passwd")).setting());
  }

  @Test
  void ownersAreNumeric() {
    assertEquals(Optional.of(new FinalStageSpec.Owner(0, 0)), FinalStagePlan.owner("0:0", Setting.COPIES));
    assertThrows(MsbuildException.class, () -> FinalStagePlan.owner("app:app", Setting.COPIES));
    assertThrows(MsbuildException.class, () -> FinalStagePlan.owner("99999999999:0", Setting.COPIES));
  }

  @Test
  void artifactPathDefaultsToAppAndTakesPomOrProperty() {
    assertEquals("/app/web", create(none(), cli()).artifactPath("web"));
    FinalStagePlan.Parameters pom = new FinalStagePlan.Parameters(null, false, false, null, null, "/bin/node_exporter");
    assertEquals("/bin/node_exporter", create(pom, cli()).artifactPath("web"));
    assertEquals("/nats-server", create(pom, cli("msbuild.artifactPath", "/nats-server")).artifactPath("web"));
  }

  @Test
  void badArtifactPathsAreRefusedNamingTheSetting() {
    for (String bad : List.of("bin/app", "/bin/", "/usr/../etc/app", "/./app", "/usr//app", "/")) {
      MsbuildException e = assertThrows(MsbuildException.class,
          () -> create(none(), cli("msbuild.artifactPath", bad)), bad);
      assertEquals(Optional.of(Setting.ARTIFACT_PATH), e.setting(), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void nonRootUserTakesAUidAndAGid() {
    assertEquals(Optional.of(new FinalStageSpec.NonRootUser("app", 10001, 10001)),
        create(none(), cli("msbuild.nonRootUser", "app:10001")).nonRootUser());
    assertEquals(Optional.of(new FinalStageSpec.NonRootUser("app", 10001, 2000)),
        create(none(), cli("msbuild.nonRootUser", "app:10001:2000")).nonRootUser());
    for (String bad : List.of("app:0", "app:x", "app:1:2:3", "app:", "Root:1")) {
      MsbuildException e = assertThrows(MsbuildException.class, () -> create(none(), cli("msbuild.nonRootUser", bad)), bad);
      assertEquals(Optional.of(Setting.NON_ROOT_USER), e.setting(), bad);
    }
  }

  @Test
  void anExtraPathMayBeASingleFile() throws IOException {
    Files.writeString(basedir.resolve("LICENSE"), "MIT\n");
    FinalStageSpec spec = create(none(), cli("msbuild.extraDirectories.paths", "LICENSE:/usr/share/doc/app/LICENSE"));
    assertEquals(List.of(new FinalStageSpec.ExtraDirectory(basedir.resolve("LICENSE"), "/usr/share/doc/app/LICENSE")),
        spec.extraDirectories());
  }
}
