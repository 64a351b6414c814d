package dev.msbuild.mojo;

import dev.msbuild.config.AttestationSpec;
import dev.msbuild.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/** What {@code <sbom>} and {@code <provenance>} ask for, and what the provenance says of this build. */
final class AttestationPlan {
  /** Settings whose values never reach a document: credentials, secrets, the builder's environment. */
  private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential|auth|passphrase|key|env).*");
  private static final Pattern REMOTE = Pattern.compile("(?m)^\\[remote \"origin\"\\]\\s*$((?:\\n(?!\\[).*)*)");
  private static final Pattern URL = Pattern.compile("(?m)^\\s*url\\s*=\\s*(\\S+)\\s*$");

  private AttestationPlan() {}

  static AttestationSpec create(UserProperties props, String sbomFormat, boolean provenance, Optional<Instant> timestamp,
      String plugin, String project, List<String> goals, Xpp3Dom configuration, Properties userProperties, Path basedir,
      Optional<AttestationSpec.SigningKey> signingKey) {
    AttestationSpec.SbomFormat format = PlanFactory.choice(PlanFactory.defaulted(props.string(Setting.SBOM_FORMAT, sbomFormat), "spdx"),
        AttestationSpec.SbomFormat.class, Setting.SBOM_FORMAT,
        "use spdx (SPDX 2.3 JSON, the default), cyclonedx (CycloneDX 1.6 JSON) or none.");
    Map<String, String> settings = new TreeMap<>();
    if (configuration != null) {
      flatten(configuration, "", settings);
    }
    for (String name : userProperties.stringPropertyNames()) {
      if (name.startsWith("msbuild.")) {
        String key = "-D" + name;
        settings.put(key, SECRET.matcher(name).matches() ? "(removed)" : userProperties.getProperty(name));
      }
    }
    // Where this machine keeps its caches cannot change the image: left out, so that another
    // machine (or an empty cache) gives the same provenance.
    settings.keySet().removeIf(k -> k.equals("cacheDirectory") || k.equals("-D" + Setting.CACHE_DIRECTORY.property()));
    // Paths inside the project as the pom writes them, so that a checkout elsewhere says the same.
    String base = basedir.toAbsolutePath().normalize().toString();
    settings.replaceAll((k, v) -> v.replace(base, "${project.basedir}"));
    return new AttestationSpec(format, props.bool(Setting.PROVENANCE, provenance), timestamp, plugin, project, goals, settings,
        GitRevision.of(basedir), remote(basedir), signingKey);
  }

  /**
   * The signing key: {@code <sign><key>} (a path), or the {@code <privateKey>} of the settings.xml
   * server {@code <sign><serverId>} names.
   */
  static Optional<AttestationSpec.SigningKey> signingKey(UserProperties props, String key, String serverId, Path basedir,
      java.util.function.Function<String, Optional<String>> serverPrivateKey) {
    String path = props.string(Setting.SIGN_KEY, key);
    if (path != null && !path.isBlank()) {
      return Optional.of(new AttestationSpec.SigningKey(basedir.resolve(path.trim()), Setting.SIGN_KEY.toString()));
    }
    String server = props.string(Setting.SIGN_SERVER_ID, serverId);
    if (server == null || server.isBlank()) {
      return Optional.empty();
    }
    String file = serverPrivateKey.apply(server.trim()).orElseThrow(() -> new dev.msbuild.config.MsbuildException(
        "The settings.xml server '" + server.trim() + "' that " + Setting.SIGN_SERVER_ID + " names has no <privateKey>.",
        Setting.SIGN_SERVER_ID, "add <privateKey>/path/to/cosign.key</privateKey> to that <server> in ~/.m2/settings.xml, or set "
            + Setting.SIGN_KEY + " to the key's path."));
    return Optional.of(new AttestationSpec.SigningKey(Path.of(file), "the <privateKey> of settings.xml server " + server.trim()));
  }

  /** {@code <to><image>x</image></to>} as {@code to.image = x}; a secret's value is replaced. */
  private static void flatten(Xpp3Dom node, String prefix, Map<String, String> out) {
    Xpp3Dom[] children = node.getChildren();
    for (int i = 0; i < children.length; i++) {
      Xpp3Dom child = children[i];
      String name = prefix + child.getName();
      // A list's entries share a name: number them.
      long same = java.util.Arrays.stream(children).filter(c -> c.getName().equals(child.getName())).count();
      if (same > 1) {
        name += "[" + i + "]";
      }
      if (SECRET.matcher(child.getName()).matches()) {
        out.put(name, "(removed)");
      } else if (child.getChildCount() > 0) {
        flatten(child, name + ".", out);
      } else if (child.getValue() != null) {
        out.put(name, child.getValue().trim());
      }
    }
  }

  /** The checkout's origin URL, user and password removed; empty when there is none. */
  static Optional<String> remote(Path basedir) {
    for (Path dir = basedir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path config = dir.resolve(".git").resolve("config");
      if (Files.isRegularFile(config)) {
        try {
          Matcher section = REMOTE.matcher(Files.readString(config, StandardCharsets.UTF_8));
          if (section.find()) {
            Matcher url = URL.matcher(section.group(1));
            if (url.find()) {
              return Optional.of(url.group(1).replaceFirst("^([a-z+]+://)[^/@]*@", "$1"));
            }
          }
        } catch (IOException e) {
          return Optional.empty();
        }
        return Optional.empty();
      }
      if (Files.exists(dir.resolve(".git"))) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
