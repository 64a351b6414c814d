package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageNameTest {
  private static final String DIGEST = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "alpine, docker.io/library/alpine:latest",
    "alpine:3.20, docker.io/library/alpine:3.20",
    "golang:1.26-alpine, docker.io/library/golang:1.26-alpine",
    "team/app, docker.io/team/app:latest",
    "127.0.0.1:5000/it/x:1.0, 127.0.0.1:5000/it/x:1.0",
    "localhost/x, localhost/x:latest",
    "registry.example.com:443/a/b/c@" + DIGEST + ", registry.example.com:443/a/b/c@" + DIGEST,
    "ghcr.io/me/app:v1@" + DIGEST + ", ghcr.io/me/app:v1@" + DIGEST,
  })
  void normalisesLikeDocker(String text, String expected) {
    assertEquals(expected, ImageName.parse(text, Setting.TO_IMAGE).toString());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                       | it is empty",
        "Team/App                 | upper-case letters",
        "app:bad*tag              | the tag 'bad*tag'",
        "app@sha256:abc           | is not sha256:<64 hex digits>",
        "example.com:70000/app    | outside 1-65535",
        "example.com/a//b         | empty path component",
        "app:                     | the tag ''",
        "example.com/app$         | characters outside",
      })
  void rejectsWithReasonAndSetting(String text, String reason) {
    MsbuildException e = assertThrows(MsbuildException.class, () -> ImageName.parse(text, Setting.TO_IMAGE));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertEquals(Setting.TO_IMAGE, e.setting().orElseThrow());
    assertTrue(e.getMessage().contains("Setting: <to><image> (-Dmsbuild.to.image)"), e.getMessage());
    assertTrue(e.getMessage().contains("Fix: "), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"alpine:3.20, 3.20", "alpine@" + DIGEST + ", " + DIGEST})
  void qualifierIsDigestElseTag(String text, String qualifier) {
    assertEquals(qualifier, ImageName.parse(text, Setting.FROM_IMAGE).qualifier());
  }
}
