package dev.msbuild.attest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.metadata.ToolInformation;

/** An SBOM as a CycloneDX 1.6 JSON document, made with CycloneDX's own Java library. */
public final class CycloneDxWriter {
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

  private CycloneDxWriter() {}

  public static byte[] write(SbomContents.Graph contents, Instant created, String toolName, String toolVersion) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + contents.image().documentId());
    bom.setVersion(1);
    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(created));
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName(toolName);
    tool.setVersion(toolVersion);
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    metadata.setToolChoice(tools);
    Map<String, Component> components = new LinkedHashMap<>();
    for (SbomContents.Component c : contents.components()) {
      Component component = new Component();
      component.setBomRef(c.id());
      component.setType(type(c.kind()));
      component.setName(c.name());
      if (!c.version().isEmpty()) {
        component.setVersion(c.version());
      }
      c.purl().ifPresent(component::setPurl);
      c.sha256().ifPresent(h -> component.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, h))));
      c.license().ifPresent(l -> {
        License license = new License();
        license.setName(l);
        LicenseChoice choice = new LicenseChoice();
        choice.addLicense(license);
        component.setLicenses(choice);
      });
      c.note().ifPresent(component::setDescription);
      components.put(c.id(), component);
    }
    Component root = components.remove("image");
    metadata.setComponent(root);
    bom.setMetadata(metadata);
    bom.setComponents(new ArrayList<>(components.values()));
    Map<String, Dependency> dependencies = new LinkedHashMap<>();
    dependencies.put("image", new Dependency("image"));
    components.keySet().forEach(id -> dependencies.put(id, new Dependency(id)));
    for (SbomContents.Relationship r : contents.relationships()) {
      dependencies.get(r.from()).addDependency(new Dependency(r.to()));
    }
    bom.setDependencies(new ArrayList<>(dependencies.values()));
    try {
      return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString().getBytes(StandardCharsets.UTF_8);
    } catch (GeneratorException e) {
      throw new IllegalStateException("could not write the CycloneDX document: " + e.getMessage(), e);
    }
  }

  private static Component.Type type(SbomContents.Kind kind) {
    return switch (kind) {
      case IMAGE, BASE_IMAGE -> Component.Type.CONTAINER;
      case PROGRAM, APPLICATION -> Component.Type.APPLICATION;
      case OS_PACKAGE, GO_MODULE, MAVEN_JAR, RUNTIME_MODULE -> Component.Type.LIBRARY;
    };
  }
}
