package dev.msbuild.attest;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What an image holds, as the SBOM lists it, whatever the format: the image, its base and the
 * base's OS packages, the programs or application the build added and what each was made from,
 * and how they relate. Both writers ({@link SpdxWriter}, {@link CycloneDxWriter}) take this list.
 *
 * @param image the image described
 * @param base the base image, empty for scratch
 * @param programs the Go programs in the image
 * @param java the Java application, for a Java build
 * @param os the base's installed packages, when it has a package database
 */
public record SbomContents(
    Subject image, Optional<Subject> base, List<Program> programs, Optional<JavaApplication> java, Optional<OsPackages> os) {

  public SbomContents {
    programs = List.copyOf(programs);
  }

  /** An image by name and manifest digest. */
  public record Subject(String name, String digest, String platform) {
    /** The document's serial number: the same image, the same id, from build to build. */
    public UUID documentId() {
      return UUID.nameUUIDFromBytes((name + "@" + digest).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A Go program at {@code imagePath} in the image, with the sha256 of its bytes and its build info. */
  public record Program(String imagePath, String sha256, Optional<GoBuildInfo> info) {}

  /** A Java application: its own coordinates, the jars on its classpath and the runtime's modules. */
  public record JavaApplication(Coordinates project, List<Jar> dependencies, List<String> runtimeModules) {
    public JavaApplication {
      dependencies = List.copyOf(dependencies);
      runtimeModules = List.copyOf(runtimeModules);
    }
  }

  public record Coordinates(String groupId, String artifactId, String version) {}

  /** A jar in the image, as Maven resolved it. */
  public record Jar(Coordinates coordinates, String sha256, String imagePath) {}

  /** One entry of the SBOM. {@code id} is unique in the document and stable from build to build. */
  public record Component(
      String id, Kind kind, String name, String version, Optional<String> purl, Optional<String> sha256, Optional<String> license,
      Optional<String> note) {}

  public enum Kind { IMAGE, BASE_IMAGE, OS_PACKAGE, PROGRAM, GO_MODULE, APPLICATION, MAVEN_JAR, RUNTIME_MODULE }

  /** {@code from} CONTAINS or DEPENDS_ON {@code to}, by component ids. */
  public record Relationship(String from, String type, String to) {}

  /**
   * What both writers write: the image, the components (the image first, in an order that depends
   * on the contents only) and their relationships.
   */
  public record Graph(Subject image, List<Component> components, List<Relationship> relationships) {}

  /** The contents as a graph; made once per document. */
  public Graph graph() {
    Map<String, Component> components = new LinkedHashMap<>();
    List<Relationship> relationships = new ArrayList<>();
    Component root = add(components, new Component("image", Kind.IMAGE, image.name(), image.digest(),
        ociPurl(image.name(), image.digest(), image.platform()), hex(image.digest()), Optional.empty(),
        Optional.of("platform " + image.platform())));
    base.ifPresent(b -> {
      Component c = add(components, new Component("base", Kind.BASE_IMAGE, b.name(), b.digest(), ociPurl(b.name(), b.digest(), b.platform()),
          hex(b.digest()), Optional.empty(), Optional.of("the base image")));
      relationships.add(new Relationship(root.id(), "CONTAINS", c.id()));
      os.ifPresent(packages -> {
        for (OsPackages.Package p : packages.packages()) {
          Component pkg = add(components, new Component(id("os", p.name()), Kind.OS_PACKAGE, p.name(), p.version(),
              purl(packages.type(), packages.namespace(), p.name(), p.version(), qualifiers(p.architecture(), packages.distro())),
              Optional.empty(), p.license(), p.origin().map(o -> "from source package " + o)));
          relationships.add(new Relationship(c.id(), "CONTAINS", pkg.id()));
        }
      });
    });
    for (Program program : programs) {
      Optional<GoBuildInfo> info = program.info();
      String name = info.map(i -> i.main().path()).filter(p -> !p.isEmpty()).orElse(program.imagePath());
      String version = info.map(GoBuildInfo::mainVersion).orElse("");
      Component c = add(components, new Component(id("program", program.imagePath()), Kind.PROGRAM, name, version,
          info.flatMap(i -> purl("golang", null, name, version.equals("(devel)") ? null : version, Map.of())),
          Optional.of(program.sha256()), Optional.empty(),
          Optional.of(program.imagePath() + info.map(i -> ", built by " + i.goVersion() + " from package " + i.path()).orElse(""))));
      relationships.add(new Relationship(root.id(), "CONTAINS", c.id()));
      if (info.isPresent()) {
        Component stdlib = add(components, new Component(id("go", "stdlib@" + info.get().goVersion()), Kind.GO_MODULE, "stdlib",
            info.get().goVersion(), purl("golang", null, "stdlib", info.get().goVersion(), Map.of()), Optional.empty(),
            Optional.of("BSD-3-Clause"), Optional.of("the Go standard library")));
        relationships.add(new Relationship(c.id(), "DEPENDS_ON", stdlib.id()));
        for (GoBuildInfo.Module m : info.get().dependencies()) {
          GoBuildInfo.Module used = m.effective();
          Component dep = add(components, new Component(id("go", used.path() + "@" + used.version()), Kind.GO_MODULE, used.path(),
              used.version(), purl("golang", null, used.path(), used.version(), Map.of()), used.sum().flatMap(SbomContents::h1Hex),
              Optional.empty(), goNote(m, used)));
          relationships.add(new Relationship(c.id(), "DEPENDS_ON", dep.id()));
        }
      }
    }
    java.ifPresent(app -> {
      Coordinates p = app.project();
      Component c = add(components, new Component(id("maven", p.groupId() + ":" + p.artifactId()), Kind.APPLICATION, p.artifactId(),
          p.version(), maven(p), Optional.empty(), Optional.empty(), Optional.of("the application, group " + p.groupId())));
      relationships.add(new Relationship(root.id(), "CONTAINS", c.id()));
      for (Jar jar : app.dependencies()) {
        Coordinates d = jar.coordinates();
        Component dep = add(components, new Component(id("maven", d.groupId() + ":" + d.artifactId() + ":" + d.version()), Kind.MAVEN_JAR,
            d.artifactId(), d.version(), maven(d), Optional.of(jar.sha256()), Optional.empty(),
            Optional.of(jar.imagePath() + ", group " + d.groupId())));
        relationships.add(new Relationship(c.id(), "DEPENDS_ON", dep.id()));
      }
      for (String module : app.runtimeModules()) {
        Component m = add(components, new Component(id("jdk", module), Kind.RUNTIME_MODULE, module, "", Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.of("a module of the jlink runtime")));
        relationships.add(new Relationship(c.id(), "DEPENDS_ON", m.id()));
      }
    });
    return new Graph(image, List.copyOf(components.values()), List.copyOf(relationships));
  }

  /** The go.sum hash as Go writes it, and what go.mod replaced. */
  private static Optional<String> goNote(GoBuildInfo.Module listed, GoBuildInfo.Module used) {
    String sum = used.sum().map(s -> "go.sum " + s).orElse("");
    String replaces = listed.replacement().map(r -> "replaces " + listed.path() + " " + listed.version()).orElse("");
    String note = String.join("; ", Stream.of(sum, replaces).filter(s -> !s.isEmpty()).toList());
    return note.isEmpty() ? Optional.empty() : Optional.of(note);
  }

  private static Component add(Map<String, Component> components, Component c) {
    return components.computeIfAbsent(c.id(), k -> c);
  }

  /** An id made of letters, digits, dots and dashes, as SPDX element ids must be. */
  static String id(String kind, String name) {
    return kind + "-" + name.replaceAll("[^A-Za-z0-9.]+", "-");
  }

  private static Map<String, String> qualifiers(String arch, Optional<String> distro) {
    Map<String, String> q = new LinkedHashMap<>();
    if (!arch.isEmpty()) {
      q.put("arch", arch);
    }
    distro.ifPresent(d -> q.put("distro", d));
    return q;
  }

  private static Optional<String> maven(Coordinates c) {
    return purl("maven", c.groupId(), c.artifactId(), c.version(), Map.of());
  }

  /** {@code pkg:oci/alpine@sha256%3A...?repository_url=docker.io/library/alpine}, as package URLs name images. */
  private static Optional<String> ociPurl(String name, String digest, String platform) {
    String last = name.substring(name.lastIndexOf('/') + 1);
    int tag = last.indexOf(':');
    String repository = tag >= 0 ? name.substring(0, name.length() - last.length() + tag) : name;
    Map<String, String> q = new LinkedHashMap<>();
    q.put("repository_url", repository);
    String[] os = platform.split("/");
    if (os.length > 1) {
      q.put("arch", os[1]);
    }
    return purl("oci", null, tag >= 0 ? last.substring(0, tag) : last, digest, q);
  }

  static Optional<String> purl(String type, String namespace, String name, String version, Map<String, String> qualifiers) {
    try {
      PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(type).withName(name);
      if ("golang".equals(type) && name.contains("/")) {
        b = PackageURLBuilder.aPackageURL().withType(type).withNamespace(name.substring(0, name.lastIndexOf('/')))
            .withName(name.substring(name.lastIndexOf('/') + 1));
      } else if (namespace != null) {
        b = b.withNamespace(namespace);
      }
      if (version != null && !version.isEmpty()) {
        b = b.withVersion(version);
      }
      for (Map.Entry<String, String> q : qualifiers.entrySet()) {
        b = b.withQualifier(q.getKey(), q.getValue());
      }
      PackageURL purl = b.build();
      return Optional.of(purl.canonicalize());
    } catch (MalformedPackageURLException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> hex(String digest) {
    return digest.startsWith("sha256:") ? Optional.of(digest.substring(7)) : Optional.empty();
  }

  /** A go.sum {@code h1:} hash is the base64 of a SHA-256: as hex, it is a checksum SBOM tools compare. */
  static Optional<String> h1Hex(String sum) {
    if (!sum.startsWith("h1:")) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(sum.substring(3));
      return bytes.length == 32 ? Optional.of(HexFormat.of().formatHex(bytes)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
