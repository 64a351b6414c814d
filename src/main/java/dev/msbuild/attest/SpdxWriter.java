package dev.msbuild.attest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.LicenseInfoFactory;
import org.spdx.library.ModelCopyManager;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.SpdxConstantsCompatV2;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.library.model.v2.ReferenceType;
import org.spdx.library.model.v2.enumerations.ChecksumAlgorithm;
import org.spdx.library.model.v2.enumerations.Purpose;
import org.spdx.library.model.v2.enumerations.ReferenceCategory;
import org.spdx.library.model.v2.enumerations.RelationshipType;
import org.spdx.library.model.v2.license.AnyLicenseInfo;
import org.spdx.library.model.v2.license.SpdxNoAssertionLicense;
import org.spdx.storage.simple.InMemSpdxStore;

/** An SBOM as an SPDX 2.3 JSON document, made with the SPDX project's own Java library. */
public final class SpdxWriter {
  public static final String MEDIA_TYPE = "application/spdx+json";

  private SpdxWriter() {}

  /**
   * @param created the document's creation time: the build's reproducible timestamp
   * @param tool {@code msbuild-maven-plugin-1.0.0}
   */
  public static byte[] write(SbomContents.Graph contents, Instant created, String tool) {
    // The license list is the one the library ships: no request to spdx.org during a build.
    System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
    System.setProperty("SPDXParser.OnlyUseLocalLicenses", "true");
    SpdxModelFactory.init();
    MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON);
    // The same image always gets the same namespace: the document's identity follows from its subject.
    String uri = "https://spdx.org/spdxdocs/" + contents.image().name().replaceAll("[^A-Za-z0-9.-]+", "-") + "-"
        + contents.image().documentId();
    ModelCopyManager copies = new ModelCopyManager();
    try {
      SpdxDocument doc = new SpdxDocument(store, uri, copies, true);
      doc.setSpecVersion("SPDX-2.3");
      doc.setName(contents.image().name() + "@" + contents.image().digest());
      doc.setDataLicense(LicenseInfoFactory.parseSPDXLicenseStringCompatV2("CC0-1.0", store, uri, copies));
      doc.setCreationInfo(doc.createCreationInfo(List.of("Tool: " + tool),
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(created)));
      AnyLicenseInfo none = new SpdxNoAssertionLicense();
      Map<String, SpdxPackage> packages = new HashMap<>();
      for (SbomContents.Component c : contents.components()) {
        SpdxPackage.SpdxPackageBuilder b = doc.createPackage("SPDXRef-" + c.id(), c.name(), none, "NOASSERTION", none)
            .setFilesAnalyzed(false)
            .setDownloadLocation("NOASSERTION")
            .setPrimaryPurpose(purpose(c.kind()));
        if (!c.version().isEmpty()) {
          b.setVersionInfo(c.version());
        }
        if (c.purl().isPresent()) {
          b.addExternalRef(doc.createExternalRef(ReferenceCategory.PACKAGE_MANAGER,
              new ReferenceType(SpdxConstantsCompatV2.SPDX_LISTED_REFERENCE_TYPES_PREFIX + "purl"), c.purl().get(), null));
        }
        if (c.sha256().isPresent()) {
          b.addChecksum(doc.createChecksum(ChecksumAlgorithm.SHA256, c.sha256().get()));
        }
        c.license().ifPresent(l -> b.setLicenseComments("as the package database declares it: " + l));
        c.note().ifPresent(b::setComment);
        packages.put(c.id(), b.build());
      }
      SpdxPackage root = packages.get("image");
      doc.getDocumentDescribes().add(root);
      for (SbomContents.Relationship r : contents.relationships()) {
        SpdxPackage from = packages.get(r.from());
        from.addRelationship(doc.createRelationship(packages.get(r.to()), RelationshipType.valueOf(r.type()), null));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.serialize(out);
      return out.toByteArray();
    } catch (InvalidSPDXAnalysisException | IOException e) {
      throw new IllegalStateException("could not write the SPDX document: " + e.getMessage(), e);
    }
  }

  private static Purpose purpose(SbomContents.Kind kind) {
    return switch (kind) {
      case IMAGE, BASE_IMAGE -> Purpose.CONTAINER;
      case PROGRAM, APPLICATION -> Purpose.APPLICATION;
      case OS_PACKAGE, GO_MODULE, MAVEN_JAR, RUNTIME_MODULE -> Purpose.LIBRARY;
    };
  }
}
