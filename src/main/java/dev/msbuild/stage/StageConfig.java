package dev.msbuild.stage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.msbuild.dockerfile.DockerfileParser;
import dev.msbuild.dockerfile.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The arguments of the instructions that change only the image config of a stage. */
final class StageConfig {
  private StageConfig() {}

  /** The argv of a CMD or ENTRYPOINT: the exec form as written, the shell form run by {@code shell}. */
  static List<String> command(List<String> shell, Instruction in) {
    if (in.exec().isPresent()) {
      return in.exec().get();
    }
    List<String> argv = new ArrayList<>(shell);
    argv.add(in.text().strip());
    return argv;
  }

  /** A HEALTHCHECK into the Healthcheck of {@code config}, durations in nanoseconds as Docker keeps them. */
  static void healthcheck(ObjectNode config, Instruction in) {
    String text = in.text().strip();
    if (text.equalsIgnoreCase("NONE")) {
      config.putObject("Healthcheck").putArray("Test").add("NONE");
      return;
    }
    if (!text.regionMatches(true, 0, "CMD", 0, 3)) {
      throw new DockerfileParser.SyntaxError(in.line(), "HEALTHCHECK takes NONE or [options] CMD command");
    }
    ObjectNode check = config.putObject("Healthcheck");
    ArrayNode test = check.putArray("Test");
    String rest = text.substring(3).strip();
    Optional<List<String>> exec = DockerfileParser.exec(rest);
    if (exec.isPresent()) {
      test.add("CMD");
      exec.get().forEach(test::add);
    } else {
      test.add("CMD-SHELL").add(rest);
    }
    for (var flag : in.flagMap().entrySet()) {
      switch (flag.getKey()) {
        case "interval" -> check.put("Interval", nanos(flag.getValue(), in));
        case "timeout" -> check.put("Timeout", nanos(flag.getValue(), in));
        case "start-period" -> check.put("StartPeriod", nanos(flag.getValue(), in));
        case "start-interval" -> check.put("StartInterval", nanos(flag.getValue(), in));
        case "retries" -> check.put("Retries", Integer.parseInt(flag.getValue()));
        default -> throw new DockerfileParser.SyntaxError(in.line(), "HEALTHCHECK --" + flag.getKey() + " is not an option");
      }
    }
  }

  private static long nanos(String duration, Instruction in) {
    var m = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)").matcher(duration);
    double total = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      total += n * switch (m.group(2)) {
        case "ns" -> 1;
        case "us" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      end = m.end();
    }
    if (end == 0 || end != duration.length()) {
      throw new DockerfileParser.SyntaxError(in.line(), "'" + duration + "' is not a duration such as 30s or 1m30s");
    }
    return (long) total;
  }
}
