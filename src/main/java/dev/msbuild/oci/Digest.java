package dev.msbuild.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code sha256:<64 hex>}: what names every blob and manifest. One type for all
 * of them, so a digest is parsed and checked once and compared as a value.
 */
public record Digest(String hex) implements Comparable<Digest> {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  public Digest {
    if (hex == null || hex.length() != 64 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("not a sha256 digest: " + hex);
    }
  }

  /** Parses {@code sha256:<hex>}; anything else is refused (other algorithms are not used here). */
  public static Digest parse(String text) {
    if (text == null || !SHA256.matcher(text).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + text);
    }
    return new Digest(text.substring("sha256:".length()));
  }

  public static boolean isDigest(String text) {
    return text != null && SHA256.matcher(text).matches();
  }

  public static Digest of(byte[] bytes) {
    return from(newSha256().digest(bytes));
  }

  public static Digest of(Path file) throws IOException {
    MessageDigest sha256 = newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
    }
    return from(sha256.digest());
  }

  /** The digest a finished {@link MessageDigest} computed. */
  public static Digest of(MessageDigest finished) {
    return from(finished.digest());
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static Digest from(byte[] hash) {
    return new Digest(HexFormat.of().formatHex(hash));
  }

  /** {@code sha256:0123456789ab}: enough to tell blobs apart in a log line. */
  public String shortForm() {
    return "sha256:" + hex.substring(0, 12);
  }

  @Override
  public int compareTo(Digest other) {
    return hex.compareTo(other.hex);
  }

  @Override
  public String toString() {
    return "sha256:" + hex;
  }
}
