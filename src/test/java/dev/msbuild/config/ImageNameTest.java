package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ImageNameTest {
  private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  /** Valid references: how they read, their four parts (empty = none) and their normal form. */
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest"),
        Arguments.of("alpine:3.20", "docker.io", "library/alpine", "3.20", null, "docker.io/library/alpine:3.20"),
        Arguments.of("  alpine:3.20 ", "docker.io", "library/alpine", "3.20", null, "docker.io/library/alpine:3.20"),
        Arguments.of("team/app", "docker.io", "team/app", "latest", null, "docker.io/team/app:latest"),
        Arguments.of("docker.io/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest"),
        Arguments.of("127.0.0.1:5000/it/x:1.0", "127.0.0.1:5000", "it/x", "1.0", null, "127.0.0.1:5000/it/x:1.0"),
        Arguments.of("localhost/x", "localhost", "x", "latest", null, "localhost/x:latest"),
        Arguments.of("localhost:5000/x", "localhost:5000", "x", "latest", null, "localhost:5000/x:latest"),
        Arguments.of("[::1]:5000/x:2", "[::1]:5000", "x", "2", null, "[::1]:5000/x:2"),
        Arguments.of(
            "registry.example.com:443/a/b/c@" + DIGEST,
            "registry.example.com:443", "a/b/c", null, DIGEST, "registry.example.com:443/a/b/c@" + DIGEST),
        Arguments.of("ghcr.io/me/app:v1@" + DIGEST, "ghcr.io", "me/app", "v1", DIGEST, "ghcr.io/me/app:v1@" + DIGEST),
        Arguments.of("a__b/c-d.e_f:T_1.x-y", "docker.io", "a__b/c-d.e_f", "T_1.x-y", null, "docker.io/a__b/c-d.e_f:T_1.x-y"),
        Arguments.of("app:" + "t".repeat(128), "docker.io", "library/app", "t".repeat(128), null,
            "docker.io/library/app:" + "t".repeat(128)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesAndNormalisesLikeDocker(
      String text, String registry, String repository, String tag, String digest, String normalised) {
    ImageName name = ImageName.parse(text, Setting.TO_IMAGE);
    assertAll(
        () -> assertEquals(registry, name.registry(), "registry"),
        () -> assertEquals(repository, name.repository(), "repository"),
        () -> assertEquals(tag, name.tag(), "tag"),
        () -> assertEquals(digest, name.digest(), "digest"),
        () -> assertEquals(normalised, name.toString(), "normal form"),
        () -> assertEquals(name, ImageName.parse(normalised, Setting.TO_IMAGE), "the normal form parses to itself"));
  }

  /** Docker rewrites the legacy Docker Hub name: {@code index.docker.io/alpine} is {@code docker.io/library/alpine}. */
  @Test
  void legacyDockerHubNameIsNormalised() {
    assertEquals("docker.io/library/alpine:latest", ImageName.parse("index.docker.io/alpine", Setting.FROM_IMAGE).toString());
  }

  /** Invalid references and a fragment of the reason each one gives. */
  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("", "it is empty"),
        Arguments.of("   ", "it is empty"),
        Arguments.of("Team/App", "the repository part 'Team' has upper-case letters"),
        Arguments.of("alpine:bad*tag", "the tag 'bad*tag' may only use letters, digits"),
        Arguments.of("alpine:-x", "the tag '-x'"),
        Arguments.of("alpine:" + "t".repeat(129), "(at most 128)"),
        Arguments.of("alpine@sha256:abc", "the digest 'sha256:abc' is not sha256:<64 hex digits>"),
        Arguments.of("alpine@" + DIGEST.toUpperCase(), "is not sha256:<64 hex digits>"),
        Arguments.of("example.com:70000/app", "the registry port 70000 is outside 1-65535"),
        Arguments.of("example.com:0/app", "the registry port 0 is outside 1-65535"),
        Arguments.of("example.com:123456/app", "the registry 'example.com:123456' is not a host name"),
        Arguments.of("a//b", "it has an empty path component"),
        Arguments.of("example.com/a//b", "it has an empty path component"),
        Arguments.of("app/", "it has an empty path component"),
        Arguments.of("example.com/", "it names no repository"),
        Arguments.of("alpine:", "the tag ''"),
        Arguments.of("example.com/app$", "the repository part 'app$' has characters outside"));
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @MethodSource("invalid")
  void rejectsWithTheReasonAndTheSetting(String text, String reason) {
    MsbuildException e = assertThrows(MsbuildException.class, () -> ImageName.parse(text, Setting.TO_IMAGE));
    assertAll(
        () -> assertTrue(e.getMessage().contains(reason), e.getMessage()),
        () -> assertTrue(e.problem().startsWith("'" + text + "' is not a valid image reference"), e.problem()),
        () -> assertEquals(Setting.TO_IMAGE, e.setting().orElseThrow()),
        () -> assertTrue(e.getMessage().contains("<to><image> (-Dmsbuild.to.image)"), e.getMessage()),
        () -> assertTrue(e.fix().contains("[registry[:port]/]repository[:tag][@sha256:digest]"), e.fix()));
  }

  @Test
  void nullIsEmpty() {
    MsbuildException e = assertThrows(MsbuildException.class, () -> ImageName.parse(null, Setting.TO_IMAGE));
    assertTrue(e.getMessage().contains("it is empty"), e.getMessage());
  }

  @Test
  void theErrorNamesTheSettingItWasGiven() {
    MsbuildException e = assertThrows(MsbuildException.class, () -> ImageName.parse("Alpine", Setting.FROM_IMAGE));
    assertEquals(Setting.FROM_IMAGE, e.setting().orElseThrow());
    assertTrue(e.getMessage().contains("Setting: <from><image> (-Dmsbuild.from.image)"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"alpine:3.20, 3.20", "alpine@" + DIGEST + ", " + DIGEST, "alpine:3.20@" + DIGEST + ", " + DIGEST})
  void qualifierIsTheDigestElseTheTag(String text, String qualifier) {
    assertEquals(qualifier, ImageName.parse(text, Setting.FROM_IMAGE).qualifier());
  }

  @Test
  void withTagDropsTheDigestAndWithRegistryKeepsTheRest() {
    ImageName name = ImageName.parse("ghcr.io/me/app:v1@" + DIGEST, Setting.TO_IMAGE);
    assertEquals("ghcr.io/me/app:v2", name.withTag("v2").toString());
    assertEquals("127.0.0.1:5000/me/app:v1@" + DIGEST, name.withRegistry("127.0.0.1:5000").toString());
  }
}
