package dev.msbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.msbuild.config.BuildLog;
import dev.msbuild.config.CredentialHelper;
import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.RegistryAuth;
import dev.msbuild.config.RegistryCredential;
import dev.msbuild.config.RegistryOptions;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {
  private static final String REGISTRY = "registry.example.com:5000";

  @TempDir Path dir;
  private final List<String> logged = new ArrayList<>();
  private final BuildLog log = new BuildLog() {
    @Override public void info(String message) { logged.add(message); }
    @Override public void warn(String message) { logged.add(message); }
    @Override public void debug(String message) { logged.add(message); }
  };

  private RegistryOptions options(Map<String, RegistryCredential> servers) throws IOException {
    Path config = dir.resolve("config.json");
    String auth = Base64.getEncoder().encodeToString("docker-user:docker-pw".getBytes(StandardCharsets.UTF_8));
    Files.writeString(config, "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth + "\"}}}");
    return new RegistryOptions(true, false, Map.of(), id -> Optional.ofNullable(servers.get(id)), config);
  }

  private static RegistryAuth explicit() {
    return new RegistryAuth(Optional.of(new RegistryCredential("pom-user", "pom-pw", "<to><auth>")), Optional.empty(), Setting.TO_AUTH);
  }

  @Test
  void explicitAuthComesFirst() throws IOException {
    RegistryOptions options = options(Map.of(REGISTRY, new RegistryCredential("server-user", "server-pw", "settings.xml <server> x")));
    assertEquals("pom-user", RegistryCredentials.find(REGISTRY, explicit(), options, log).orElseThrow().username());
    assertTrue(logged.contains("Using credentials for " + REGISTRY + " from <to><auth>"));
  }

  @Test
  void thenTheSettingsServerNamedAfterTheRegistry() throws IOException {
    RegistryOptions options = options(Map.of(REGISTRY, new RegistryCredential("server-user", "server-pw", "settings.xml <server> " + REGISTRY)));
    assertEquals("server-user", RegistryCredentials.find(REGISTRY, RegistryAuth.none(Setting.TO_AUTH), options, log).orElseThrow().username());
  }

  @Test
  void thenTheDockerConfig() throws IOException {
    RegistryCredential found = RegistryCredentials.find(REGISTRY, RegistryAuth.none(Setting.TO_AUTH), options(Map.of()), log).orElseThrow();
    assertEquals("docker-user", found.username());
    assertEquals("docker-pw", found.password());
    assertTrue(found.source().contains("config.json"));
    assertFalse(String.join("\n", logged).contains("docker-pw"));
    assertFalse(found.toString().contains("docker-pw"));
  }

  @Test
  void aHelperComesBeforeTheServerAndTheDockerConfigByPathAndWithItsEnvironment() throws IOException {
    // A helper as Docker runs one: the registry on stdin, a JSON login on stdout.
    Path script = dir.resolve("docker-credential-test");
    Files.writeString(script, "#!/bin/sh\nread server\n[ \"$1\" = get ] || exit 1\n"
        + "printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"helper-pw\"}' \"$server\" \"$HELPER_USER\"\n");
    script.toFile().setExecutable(true);
    RegistryOptions options = options(Map.of(REGISTRY, new RegistryCredential("server-user", "server-pw", "settings.xml <server> x")));
    RegistryAuth auth = new RegistryAuth(Optional.empty(),
        Optional.of(new CredentialHelper(script.toString(), Map.of("HELPER_USER", "from-the-helper"))), Setting.TO_AUTH);
    RegistryCredential found = RegistryCredentials.find(REGISTRY, auth, options, log).orElseThrow();
    assertEquals("from-the-helper", found.username());
    assertEquals("helper-pw", found.password());
    assertTrue(found.source().contains(script.toString()), found.source());
  }

  @Test
  void podmansAuthFileIsReadBeforeTheDockerConfig() throws IOException {
    Path authJson = dir.resolve("containers/auth.json");
    Files.createDirectories(authJson.getParent());
    String auth = Base64.getEncoder().encodeToString("podman-user:podman-pw".getBytes(StandardCharsets.UTF_8));
    Files.writeString(authJson, "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth + "\"}}}");
    RegistryOptions docker = options(Map.of());
    RegistryOptions both = new RegistryOptions(true, false, Map.of(), RegistryOptions.ServerCredentials.NONE,
        List.of(authJson, docker.dockerConfigs().get(0)), false, false);
    assertEquals("podman-user", RegistryCredentials.find(REGISTRY, RegistryAuth.none(Setting.TO_AUTH), both, log).orElseThrow().username());
  }

  @Test
  void thenTheNamedHelperWhichMustBeInstalled() throws IOException {
    RegistryAuth helper = new RegistryAuth(Optional.empty(), Optional.of(CredentialHelper.named("msbuild-test-no-such-helper")), Setting.TO_AUTH);
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> RegistryCredentials.find("other.example.com", helper, options(Map.of()), log));
    assertEquals(Optional.of(Setting.TO_CRED_HELPER), e.setting());
    assertTrue(e.getMessage().contains("docker-credential-msbuild-test-no-such-helper"));
  }

  @Test
  void noneAnywhereMeansAnonymous() throws IOException {
    assertEquals(Optional.empty(), RegistryCredentials.find("other.example.com", RegistryAuth.none(Setting.TO_AUTH), options(Map.of()), log));
  }

  @Test
  void refusalsNameTheAuthSettingAndNeverThePassword() throws IOException {
    Optional<RegistryCredential> credential = Optional.of(new RegistryCredential("u", "pw-123", "settings.xml <server> r"));
    MsbuildException wrong = RegistryCredentials.refused(REGISTRY, "push app", credential, explicit(), options(Map.of()), false, null);
    assertEquals(Optional.of(Setting.TO_AUTH), wrong.setting());
    assertTrue(wrong.getMessage().contains("refused the credentials of u from settings.xml <server> r"));
    assertFalse(wrong.getMessage().contains("pw-123"));
    MsbuildException denied = RegistryCredentials.refused(REGISTRY, "push app", credential, explicit(), options(Map.of()), true, null);
    assertTrue(denied.getMessage().contains("403"));
    MsbuildException anonymous =
        RegistryCredentials.refused(REGISTRY, "push app", Optional.empty(), RegistryAuth.none(Setting.FROM_AUTH), options(Map.of()), false, null);
    assertEquals(Optional.of(Setting.FROM_AUTH), anonymous.setting());
    assertTrue(anonymous.fix().contains("settings.xml <server>"));
    assertEquals(Optional.of(Setting.SEND_CREDENTIALS_OVER_HTTP),
        RegistryCredentials.notSentOverHttp(REGISTRY, "push app", credential, null).setting());
  }
}
