package dev.msbuild.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.AttestationSpec;
import dev.msbuild.config.MsbuildException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestationPlanTest {
  @TempDir Path dir;

  @Test
  void settingsWithoutSecretsAndPathsRelativeToTheProject() throws Exception {
    var pom = Xpp3DomBuilder.build(new StringReader("<configuration><to><image>registry.test/app:1.0</image>"
        + "<auth><username>u</username><password>hunter2</password></auth></to>"
        + "<builder><env><TOKEN>abc</TOKEN></env><output>app</output></builder>"
        + "<extraDirectories><paths><path>" + dir + "/src/main/image</path><path>other</path></paths></extraDirectories></configuration>"));
    Properties user = new Properties();
    user.setProperty("msbuild.to.auth.password", "hunter3");
    user.setProperty("msbuild.platform", "linux/arm64");
    user.setProperty("msbuild.cacheDirectory", "/tmp/somewhere");
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve(".git/config"), "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://user:pw@git.example/app.git\n");
    AttestationSpec spec = AttestationPlan.create(new UserProperties(new Properties(), new Properties()), null, true, Optional.empty(),
        "g:a:1", "org:app:1", List.of("package"), pom, user, dir, Optional.empty());
    assertEquals(AttestationSpec.SbomFormat.SPDX, spec.sbom());
    assertEquals("registry.test/app:1.0", spec.settings().get("to.image"));
    assertEquals("(removed)", spec.settings().get("to.auth"));
    assertEquals("(removed)", spec.settings().get("builder.env"));
    assertEquals("(removed)", spec.settings().get("-Dmsbuild.to.auth.password"));
    assertEquals("linux/arm64", spec.settings().get("-Dmsbuild.platform"));
    assertFalse(spec.settings().containsKey("-Dmsbuild.cacheDirectory"), "a machine's cache is no input of the image");
    assertEquals("${project.basedir}/src/main/image", spec.settings().get("extraDirectories.paths.path[0]"));
    assertFalse(spec.settings().toString().contains("hunter") || spec.settings().toString().contains("abc"));
    assertEquals(Optional.of("https://git.example/app.git"), spec.gitRemote());
  }

  @Test
  void theKeyFromThePomOrASettingsServer() {
    UserProperties none = new UserProperties(new Properties(), new Properties());
    assertEquals(Optional.of(dir.resolve("keys/cosign.key")),
        AttestationPlan.signingKey(none, "keys/cosign.key", null, dir, id -> Optional.empty()).map(AttestationSpec.SigningKey::file));
    assertEquals(Optional.of(Path.of("/secrets/cosign.key")),
        AttestationPlan.signingKey(none, null, "signing", dir, id -> id.equals("signing") ? Optional.of("/secrets/cosign.key")
            : Optional.empty()).map(AttestationSpec.SigningKey::file));
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> AttestationPlan.signingKey(none, null, "absent", dir, id -> Optional.empty()));
    assertEquals(Optional.of(dev.msbuild.config.Setting.SIGN_SERVER_ID), e.setting());
    assertEquals(Optional.empty(), AttestationPlan.signingKey(none, null, null, dir, id -> Optional.empty()));
  }

  @Test
  void anUnknownFormatNamesTheSetting() {
    Properties cli = new Properties();
    cli.setProperty("msbuild.sbom.format", "swid");
    MsbuildException e = assertThrows(MsbuildException.class, () -> AttestationPlan.create(new UserProperties(cli, new Properties()),
        null, true, Optional.empty(), "g:a:1", "o:a:1", List.of(), null, new Properties(), dir, Optional.empty()));
    assertTrue(e.getMessage().contains("swid") || e.problem().contains("swid"), e.getMessage());
    assertEquals(Optional.of(dev.msbuild.config.Setting.SBOM_FORMAT), e.setting());
  }
}
