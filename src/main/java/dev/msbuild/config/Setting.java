package dev.msbuild.config;

/**
 * Every user-facing setting, with its pom form and its {@code -D} user property. This is the one
 * place that names them: the Mojos read overrides through it and every error message quotes it.
 */
public enum Setting {
  SKIP("<skip>", "msbuild.skip"),
  TO_IMAGE("<to><image>", "msbuild.to.image"),
  TO_TAGS("<to><tags>", "msbuild.to.tags"),
  TO_AUTH("<to><auth>", "msbuild.to.auth.username"),
  TO_AUTH_PASSWORD("<to><auth><password>", "msbuild.to.auth.password"),
  TO_CRED_HELPER("<to><credHelper>", "msbuild.to.credHelper"),
  FROM_IMAGE("<from><image>", "msbuild.from.image"),
  FROM_AUTH("<from><auth>", "msbuild.from.auth.username"),
  FROM_AUTH_PASSWORD("<from><auth><password>", "msbuild.from.auth.password"),
  FROM_CRED_HELPER("<from><credHelper>", "msbuild.from.credHelper"),
  BUILDER_IMAGE("<builder><image>", "msbuild.builder.image"),
  BUILDER_TOOLCHAIN("<builder><toolchain>", "msbuild.builder.toolchain"),
  BUILDER_ISOLATION("<builder><isolation>", "msbuild.builder.isolation"),
  BUILDER_SANDBOX("<builder><sandbox>", "msbuild.builder.sandbox"),
  BUILDER_COMMAND("<builder><command>", "msbuild.builder.command"),
  BUILDER_OUTPUTS("<builder><outputs>", "msbuild.builder.outputs"),
  BUILDER_NETWORK("<builder><network>", "msbuild.builder.network"),
  BUILDER_TIMEOUT("<builder><timeout>", "msbuild.builder.timeout"),
  BUILDER_SECRETS("<builder><secrets>", "msbuild.builder.secrets"),
  BUILDER_MAX_ENTRIES("<builder><maxEntries>", "msbuild.builder.maxEntries"),
  BUILDER_MAX_BYTES("<builder><maxBytes>", "msbuild.builder.maxBytes"),
  BUILDER_MAIN_PACKAGE("<builder><mainPackage>", "msbuild.builder.mainPackage"),
  BUILDER_OUTPUT("<builder><output>", "msbuild.builder.output"),
  BUILDER_FLAGS("<builder><flags>", "msbuild.builder.flags"),
  BUILDER_LDFLAGS("<builder><ldflags>", "msbuild.builder.ldflags"),
  BUILDER_STRIP("<builder><strip>", "msbuild.builder.strip"),
  BUILDER_ENV("<builder><env>", "msbuild.builder.env"),
  PLATFORM("<platform>", "msbuild.platform"),
  PLATFORMS("<platforms>", "msbuild.platforms"),
  CONTAINER_ENTRYPOINT("<container><entrypoint>", "msbuild.container.entrypoint"),
  CONTAINER_ARGS("<container><args>", "msbuild.container.args"),
  CONTAINER_ENVIRONMENT("<container><environment>", "msbuild.container.environment"),
  CONTAINER_PORTS("<container><ports>", "msbuild.container.ports"),
  CONTAINER_LABELS("<container><labels>", "msbuild.container.labels"),
  CONTAINER_USER("<container><user>", "msbuild.container.user"),
  CONTAINER_WORKING_DIRECTORY("<container><workingDirectory>", "msbuild.container.workingDirectory"),
  CONTAINER_VOLUMES("<container><volumes>", "msbuild.container.volumes"),
  CONTAINER_FORMAT("<container><format>", "msbuild.container.format"),
  CONTAINER_LABELS_FROM_POM("<container><labelsFromPom>", "msbuild.container.labelsFromPom"),
  COPIES("<copies>", "msbuild.copies"),
  CA_CERTIFICATES("<caCertificates>", "msbuild.caCertificates"),
  ZONEINFO("<zoneinfo>", "msbuild.zoneinfo"),
  ARTIFACT_PATH("<artifactPath>", "msbuild.artifactPath"),
  NON_ROOT_USER("<nonRootUser>", "msbuild.nonRootUser"),
  EXTRA_DIRECTORIES("<extraDirectories><paths>", "msbuild.extraDirectories.paths"),
  EXTRA_PERMISSIONS("<extraDirectories><permissions>", "msbuild.extraDirectories.permissions"),
  TAR_FORMAT("<tar><format>", "msbuild.tar.format"),
  JAVA("<java>", "msbuild.java"),
  JAVA_MAIN_CLASS("<java><mainClass>", "msbuild.java.mainClass"),
  JAVA_JVM_FLAGS("<java><jvmFlags>", "msbuild.java.jvmFlags"),
  JAVA_MODE("<java><mode>", "msbuild.java.mode"),
  JAVA_JLINK("<java><jlink><enabled>", "msbuild.java.jlink"),
  JAVA_JLINK_MODULES("<java><jlink><modules>", "msbuild.java.jlink.modules"),
  JAVA_JLINK_ADD_MODULES("<java><jlink><addModules>", "msbuild.java.jlink.addModules"),
  JAVA_JLINK_COMPRESS("<java><jlink><compress>", "msbuild.java.jlink.compress"),
  SBOM_FORMAT("<sbom><format>", "msbuild.sbom.format"),
  PROVENANCE("<provenance>", "msbuild.provenance"),
  SIGN_KEY("<sign><key>", "msbuild.sign.key"),
  SIGN_SERVER_ID("<sign><serverId>", "msbuild.sign.serverId"),
  OUTPUT_TIMESTAMP("<properties><project.build.outputTimestamp>", "project.build.outputTimestamp"),
  SEND_CREDENTIALS_OVER_HTTP("<sendCredentialsOverHttp>", "msbuild.sendCredentialsOverHttp"),
  ALLOW_INSECURE_REGISTRIES("<allowInsecureRegistries>", "msbuild.allowInsecureRegistries"),
  REGISTRY_MIRRORS("<registryMirrors>", "msbuild.registryMirrors"),
  CACHE_DIRECTORY("<cacheDirectory>", "msbuild.cacheDirectory"),
  CACHE_REGISTRY("<cache><registry>", "msbuild.cache.registry"),
  CACHE_MODE("<cache><mode>", "msbuild.cache.mode"),
  CACHE_MAX_BYTES("<cache><maxBytes>", "msbuild.cache.maxBytes"),
  CACHE_AUTH("<cache><auth>", "msbuild.cache.auth.username"),
  CACHE_AUTH_PASSWORD("<cache><auth><password>", "msbuild.cache.auth.password"),
  CACHE_CRED_HELPER("<cache><credHelper>", "msbuild.cache.credHelper"),
  DOCKERFILE("<dockerfile>", "msbuild.dockerfile"),
  DOCKERFILE_TARGET("<target>", "msbuild.target"),
  DOCKERFILE_BUILD_ARGS("<buildArgs>", "msbuild.buildArgs"),
  SOURCE_DIRECTORY("<sourceDirectory>", "msbuild.sourceDirectory");

  private final String xml;
  private final String property;

  Setting(String xml, String property) {
    this.xml = xml;
    this.property = property;
  }

  public String xml() {
    return xml;
  }

  public String property() {
    return property;
  }

  /** How messages name a setting: both forms, so users find it wherever they set it. */
  @Override
  public String toString() {
    return xml + " (-D" + property + ")";
  }
}
