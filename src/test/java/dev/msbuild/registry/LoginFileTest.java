package dev.msbuild.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login files as Docker writes them, read for a registry the way Docker and Jib read them. */
class LoginFileTest {
  @TempDir Path dir;

  private LoginFile file(String json) throws Exception {
    Path path = Files.writeString(dir.resolve("config.json"), json);
    return LoginFile.read(path).orElseThrow();
  }

  private static String auth(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dockerHubsLoginIsFoundUnderAnyOfItsNames() throws Exception {
    LoginFile file = file("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hub", "pw") + "\"}}}");
    for (String name : new String[] {"docker.io", "registry-1.docker.io", "index.docker.io"}) {
      assertEquals(Optional.of(new LoginFile.Auth("hub", "pw", "https://index.docker.io/v1/")), file.sourceFor(name), name);
    }
    assertEquals(Optional.empty(), file.sourceFor("ghcr.io"));
  }

  @Test
  void aHelperForTheRegistryComesBeforeTheStoreAndTheStoreBeforeAuths() throws Exception {
    LoginFile file = file("{\"credsStore\":\"desktop\",\"credHelpers\":{\"123.dkr.ecr.eu-west-1.amazonaws.com\":\"ecr-login\"},"
        + "\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("gh", "pw") + "\"}}}");
    assertEquals(Optional.of(new LoginFile.Helper("ecr-login", "123.dkr.ecr.eu-west-1.amazonaws.com")),
        file.sourceFor("123.dkr.ecr.eu-west-1.amazonaws.com"));
    assertEquals(Optional.of(new LoginFile.Helper("desktop", "ghcr.io")), file.sourceFor("ghcr.io"));
  }

  @Test
  void loginsWrittenOutAndAzuresIdentityTokenAreRead() throws Exception {
    LoginFile file = file("{\"auths\":{\"r.example:5000\":{\"username\":\"u\",\"password\":\"p\"},"
        + "\"https://acr.example.io\":{\"auth\":\"" + auth("00000000-0000-0000-0000-000000000000", "") + "\",\"identitytoken\":\"refresh\"}}}");
    assertEquals(Optional.of(new LoginFile.Auth("u", "p", "r.example:5000")), file.sourceFor("r.example:5000"));
    assertEquals(Optional.of(new LoginFile.Auth(RegistryHttp.IDENTITY_TOKEN_USER, "refresh", "https://acr.example.io")),
        file.sourceFor("acr.example.io"));
  }
}
