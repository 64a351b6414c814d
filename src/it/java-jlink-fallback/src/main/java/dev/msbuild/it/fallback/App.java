package dev.msbuild.it.fallback;

/** Needs java.sql at run time; a broken jar on its class path makes jdeps fail over the class path. */
public class App {
  public static void main(String[] args) {
    System.out.println("fallback runtime: java.sql present, Types.INTEGER=" + java.sql.Types.INTEGER
        + ", modules " + ModuleLayer.boot().modules().size());
  }
}
