package dev.msbuild.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GoFlagTemplatesTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private final GoFlagTemplates templates =
      new GoFlagTemplates(Optional.of(SHA), Instant.parse("2024-05-06T07:08:09.5Z"), Map.of("BUILD_ID", "42")::get);

  @Test
  void koTemplatesExpandToTheCommitAndTheReproducibleTime() {
    assertEquals("-X main.commit=" + SHA + " -X main.short=0123456 -X main.date=2024-05-06T07:08:09Z -X main.ts=1714979289"
            + " -X main.build=42",
        templates.expand("-X main.commit={{.Git.FullCommit}} -X main.short={{ .Git.ShortCommit }} -X main.date={{.Date}}"
            + " -X main.ts={{.Timestamp}} -X main.build={{.Env.BUILD_ID}}", Setting.BUILDER_LDFLAGS));
    assertEquals("-X main.v=1", templates.expand("-X main.v=1", Setting.BUILDER_LDFLAGS));
    assertTrue(GoFlagTemplates.uses("{{.Date}}"));
    assertFalse(GoFlagTemplates.uses("-s -w"));
  }

  @Test
  void anUnknownTemplateIsRefusedNamingTheSetting() {
    MsbuildException e = assertThrows(MsbuildException.class, () -> templates.expand("-X a={{.Version}}", Setting.BUILDER_FLAGS));
    assertEquals(Optional.of(Setting.BUILDER_FLAGS), e.setting());
    assertTrue(e.getMessage().contains("{{.Version}}"), e.getMessage());
  }

  @Test
  void theCommitOutsideACheckoutIsRefused() {
    GoFlagTemplates none = new GoFlagTemplates(Optional.empty(), Instant.EPOCH, n -> null);
    MsbuildException e = assertThrows(MsbuildException.class,
        () -> none.expand("-X main.c={{.Git.ShortCommit}}", Setting.BUILDER_LDFLAGS));
    assertEquals(Optional.of(Setting.BUILDER_LDFLAGS), e.setting());
    assertEquals("-X main.d=1970-01-01T00:00:00Z", none.expand("-X main.d={{.Date}}", Setting.BUILDER_LDFLAGS));
  }
}
