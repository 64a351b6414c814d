package dev.msbuild.it.hello;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.apache.commons.lang3.StringUtils;

/** Greets whoever the arguments name, with a message from its resources and a Maven Central dependency. */
public class App {
  public static void main(String[] args) throws IOException {
    String message;
    try (InputStream in = App.class.getResourceAsStream("/message.txt")) {
      message = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    String who = args.length == 0 ? "world" : String.join(" ", args);
    System.out.println(StringUtils.capitalize(message) + ", " + StringUtils.upperCase(who) + "!");
    System.out.println("flag=" + System.getProperty("hello.flag", "unset"));
    System.out.println("java.home=" + System.getProperty("java.home"));
    System.out.println("modules=" + ModuleLayer.boot().modules().size());
    Logger.getLogger("hello").info("logged through java.logging");
  }
}
