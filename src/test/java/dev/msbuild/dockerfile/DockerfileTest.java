package dev.msbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileTest {
  @Test
  void anArgIsReadTheSameWayBeforeTheFirstFromAndInAStage() {
    Instruction in = DockerfileParser.parse("ARG GO=\"1.26\" PLAIN\n").get(0);
    Map<String, Optional<String>> args = Dockerfile.argument("Dockerfile", in);
    assertEquals(Optional.of("1.26"), args.get("GO"));
    assertEquals(Optional.empty(), args.get("PLAIN"));
    Dockerfile parsed = Dockerfile.read("Dockerfile", "ARG GO=\"1.26\"\nFROM golang:${GO}-alpine\n", Map.of());
    assertEquals("golang:1.26-alpine", parsed.stages().get(0).base());
  }

  private static final String SEED_001 = """
      # Estou dando um "nome" para toda essa parte
      FROM golang:1.18 as buildando
      WORKDIR /app
      COPY . ./
      RUN go mod init hello
      RUN go build -o /app/hello
      # aqui acaba o build


      # escolho uma outra imagem que pode rodar a aplicacao criada
      FROM alpine:3.15.9

      # copiando do buildando o binário gerado no app/hello
      COPY --from=buildado /app/hello /app/hello

      # aqui é a execução de toda a primeira parte
      CMD ["/app/hello"]
      """;

  @Test
  void aTypoInCopyFromIsNamedWithItsLineAsDockerFailsOnIt() {
    Dockerfile file = Dockerfile.read("Dockerfile", SEED_001, Map.of());
    assertEquals(2, file.stages().size());
    assertEquals(Optional.of("buildando"), file.stages().get(0).name());
    assertEquals("golang:1.18", file.stages().get(0).base());
    List<Dockerfile.Stage> needed = file.needed(file.target(Optional.empty()));
    // Nothing copies from buildando (the typo names another): only the last stage is needed.
    assertEquals(List.of(1), needed.stream().map(Dockerfile.Stage::index).toList());
    Dockerfile.Invalid e = assertThrows(Dockerfile.Invalid.class, () -> file.checkReferences(needed, image -> false));
    assertEquals("Dockerfile line 14: COPY --from=buildado: no stage or image of that name (stages: buildando)", e.getMessage());

    Dockerfile fixed = Dockerfile.read("Dockerfile", SEED_001.replace("--from=buildado", "--from=buildando"), Map.of());
    List<Dockerfile.Stage> both = fixed.needed(fixed.target(Optional.empty()));
    assertEquals(List.of(0, 1), both.stream().map(Dockerfile.Stage::index).toList());
    fixed.checkReferences(both, image -> false);
  }

  @Test
  void stagesRunInOrderOfNeedAndUnusedOnesNot() {
    Dockerfile file = Dockerfile.read("Dockerfile", """
        ARG GO=1.26
        FROM node:22 AS web
        RUN npm ci && npm run build
        FROM golang:${GO}-alpine AS unused
        RUN echo never
        FROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS build
        COPY --from=web /src/dist ./dist
        RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .
        FROM scratch
        COPY --from=build /out/app /app
        COPY --from=busybox:1.36 /bin/busybox /bin/busybox
        ENTRYPOINT ["/app"]
        """, Map.of("GO", "1.25"));
    assertEquals("golang:1.25-alpine", file.stages().get(2).base());
    assertEquals(Map.of("GO", "1.25"), file.globalArgs());
    List<Dockerfile.Stage> needed = file.needed(file.target(Optional.empty()));
    assertEquals(List.of("web", "build", "3"), needed.stream().map(Dockerfile.Stage::label).toList());
    file.checkReferences(needed, image -> image.equals("busybox:1.36"));
    assertEquals(List.of("web", "build"), file.needed(file.target(Optional.of("build"))).stream().map(Dockerfile.Stage::label).toList());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> file.target(Optional.of("test")));
    assertTrue(none.getMessage().contains("(stages: web, unused, build, 3)"), none.getMessage());
  }

  @Test
  void whatCannotRunFailsNamingTheLineAndInstruction() {
    Dockerfile.Invalid onbuild = assertThrows(Dockerfile.Invalid.class,
        () -> Dockerfile.read("Dockerfile", "FROM alpine\nONBUILD RUN echo\n", Map.of()));
    assertTrue(onbuild.getMessage().startsWith("Dockerfile line 2: ONBUILD is not supported (supported: ADD, ARG, CMD,"),
        onbuild.getMessage());
    Dockerfile.Invalid early = assertThrows(Dockerfile.Invalid.class,
        () -> Dockerfile.read("Dockerfile", "ENV A=1\nFROM alpine\n", Map.of()));
    assertEquals("Dockerfile line 1: ENV before the first FROM (only ARG may come before it)", early.getMessage());
    Dockerfile.Invalid twice = assertThrows(Dockerfile.Invalid.class,
        () -> Dockerfile.read("Dockerfile", "FROM alpine AS a\nFROM alpine AS A\n", Map.of()));
    assertEquals("Dockerfile line 2: FROM ... AS a: another stage has that name", twice.getMessage());
    Dockerfile.Invalid empty = assertThrows(Dockerfile.Invalid.class, () -> Dockerfile.read("Dockerfile", "# nothing\n", Map.of()));
    assertTrue(empty.getMessage().contains("no FROM"));
    Dockerfile.Invalid heredoc = assertThrows(Dockerfile.Invalid.class,
        () -> Dockerfile.read("Dockerfile", "FROM alpine\nRUN <<EOF\necho\n", Map.of()));
    assertTrue(heredoc.getMessage().startsWith("Dockerfile line 2: RUN: the here-document <<EOF is not closed"), heredoc.getMessage());
  }
}
