package dev.msbuild.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {
  @Test
  void aSeedsMultiStageDockerfile() {
    List<Instruction> in = DockerfileParser.parse("""
        # Estou dando um "nome" para toda essa parte
        FROM golang:1.18 as buildando
        WORKDIR /app
        COPY . ./
        RUN go mod init hello
        RUN go build -o /app/hello

        FROM alpine:3.15.9
        COPY --from=buildado /app/hello /app/hello
        CMD ["/app/hello"]
        """);
    assertEquals(List.of("FROM", "WORKDIR", "COPY", "RUN", "RUN", "FROM", "COPY", "CMD"),
        in.stream().map(Instruction::keyword).toList());
    assertEquals(2, in.get(0).line());
    assertEquals("golang:1.18 as buildando", in.get(0).text());
    assertEquals(Optional.of("buildado"), in.get(6).flag("from"));
    assertEquals("/app/hello /app/hello", in.get(6).text());
    assertEquals(9, in.get(6).line());
    assertEquals(Optional.of(List.of("/app/hello")), in.get(7).exec());
    assertEquals("Dockerfile line 9: COPY", in.get(6).where("Dockerfile"));
  }

  @Test
  void continuationsCommentsAndTheEscapeDirective() {
    List<Instruction> in = DockerfileParser.parse("""
        FROM alpine
        RUN apk add \\
        # a comment inside is dropped
              curl \\

              git
        """);
    assertEquals("apk add       curl       git", in.get(1).text());
    assertEquals(2, in.get(1).line());

    List<Instruction> windows = DockerfileParser.parse("""
        # escape=`
        FROM mcr.microsoft.com/windows
        COPY testfile.txt c:\\ `
          c:\\dir\\
        """);
    assertEquals("testfile.txt c:\\   c:\\dir\\", windows.get(1).text());
  }

  @Test
  void execAndShellForms() {
    List<Instruction> in = DockerfileParser.parse("""
        CMD [“./webserver”]
        ENTRYPOINT ["/bin/app", "--port", "8080"]
        CMD echo "hi"
        """);
    // Curly quotes are not JSON: Docker runs that CMD with /bin/sh -c, and so the shell form it is.
    assertEquals(Optional.empty(), in.get(0).exec());
    assertEquals("[“./webserver”]", in.get(0).text());
    assertEquals(Optional.of(List.of("/bin/app", "--port", "8080")), in.get(1).exec());
    assertEquals(Optional.empty(), in.get(2).exec());
  }

  @Test
  void flagsWithQuotesAndSeveralMounts() {
    List<Instruction> in = DockerfileParser.parse(
        "RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=secret,id=token --network=none go build ./...\n"
            + "COPY --chown=10001:10001 --chmod=755 --from=builder /out/app /app\n"
            + "FROM --platform=$BUILDPLATFORM golang:1.26 AS build\n");
    assertEquals(List.of("type=cache,target=/root/.cache/go-build", "type=secret,id=token"), in.get(0).flags("mount"));
    assertEquals(Optional.of("none"), in.get(0).flag("network"));
    assertEquals("go build ./...", in.get(0).text());
    assertEquals(Optional.of("10001:10001"), in.get(1).flag("chown"));
    assertEquals(Optional.of("755"), in.get(1).flag("chmod"));
    assertEquals(Optional.of("$BUILDPLATFORM"), in.get(2).flag("platform"));
    assertEquals("golang:1.26 AS build", in.get(2).text());
  }

  @Test
  void hereDocuments() {
    List<Instruction> in = DockerfileParser.parse("""
        FROM alpine
        RUN <<EOF
        apk add --no-cache ca-certificates
        echo done
        EOF
        COPY <<-"CONF" /etc/app.conf
        \tport=$PORT
        \tCONF
        USER app
        """);
    assertEquals(List.of("FROM", "RUN", "COPY", "USER"), in.stream().map(Instruction::keyword).toList());
    Instruction.Heredoc run = in.get(1).heredocs().get(0);
    assertEquals("EOF", run.name());
    assertEquals("apk add --no-cache ca-certificates\necho done\n", run.content());
    assertTrue(run.expand());
    Instruction.Heredoc conf = in.get(2).heredocs().get(0);
    assertEquals("port=$PORT\n", conf.content());
    assertEquals(false, conf.expand());
    assertEquals(9, in.get(3).line());
  }

  @Test
  void whatCannotBeReadNamesTheLine() {
    DockerfileParser.SyntaxError open = assertThrows(DockerfileParser.SyntaxError.class,
        () -> DockerfileParser.parse("FROM alpine\nRUN <<EOF\necho never closed\n"));
    assertEquals(2, open.line());
    DockerfileParser.SyntaxError garbage = assertThrows(DockerfileParser.SyntaxError.class,
        () -> DockerfileParser.parse("FROM alpine\n\n--from=x /a /b\n"));
    assertEquals(3, garbage.line());
    assertThrows(DockerfileParser.SyntaxError.class, () -> DockerfileParser.parse("# escape=x\nFROM alpine\n"));
  }
}
