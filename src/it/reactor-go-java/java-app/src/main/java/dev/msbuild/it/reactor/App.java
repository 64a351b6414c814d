package dev.msbuild.it.reactor;

/** The reactor's Java module. */
public class App {
  public static void main(String[] args) {
    System.out.println("java-app: built in a reactor with go-hello and go-web, on Java " + Runtime.version().feature());
  }
}
