package dev.msbuild.attest;

import dev.msbuild.config.MsbuildException;
import dev.msbuild.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Signs with an ECDSA P-256 key as cosign does (SHA-256, ASN.1 DER signature, base64), so that
 * {@code cosign verify --key} accepts what it signed. The key is a PEM file: PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}), unencrypted. Its bytes
 * are read here and nowhere else, and never logged.
 */
public final class Signer {
  /** The DER prefix of a PKCS#8 wrapping of a P-256 SEC 1 key: version 0, id-ecPublicKey, prime256v1. */
  private static final byte[] P256_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d,
      0x02, 0x01, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

  private final PrivateKey key;
  private final String source;

  private Signer(PrivateKey key, String source) {
    this.key = key;
    this.source = source;
  }

  /** Where the key came from, for the log: a path, never the key. */
  public String source() {
    return source;
  }

  public static Signer load(Path pem, String source) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new MsbuildException("The signing key " + pem + " (" + source + ") cannot be read: " + e.getMessage() + ".",
          Setting.SIGN_KEY, "give the path of a readable PEM file with an ECDSA P-256 private key.", e);
    }
    try {
      byte[] pkcs8;
      if (text.contains("-----BEGIN PRIVATE KEY-----")) {
        pkcs8 = body(text, "PRIVATE KEY");
      } else if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
        pkcs8 = wrapSec1(body(text, "EC PRIVATE KEY"));
      } else if (text.contains("ENCRYPTED")) {
        throw new MsbuildException("The signing key " + pem + " (" + source + ") is encrypted, which is not read here.",
            Setting.SIGN_KEY, "give an unencrypted PKCS#8 key from your secret store, for example made with "
                + "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out cosign.key "
                + "(its public key: openssl pkey -in cosign.key -pubout -out cosign.pub).");
      } else {
        throw new MsbuildException("The signing key " + pem + " (" + source + ") is not a PEM private key.", Setting.SIGN_KEY,
            "give a PEM file that starts with -----BEGIN PRIVATE KEY----- (an ECDSA P-256 key).");
      }
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new MsbuildException("The signing key " + pem + " (" + source + ") is not an ECDSA P-256 key, which cosign verifies.",
            Setting.SIGN_KEY, "make one with openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256.");
      }
      return new Signer(key, source);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new MsbuildException("The signing key " + pem + " (" + source + ") cannot be read as an EC private key.",
          Setting.SIGN_KEY, "give an unencrypted PKCS#8 PEM file with an ECDSA P-256 private key.", e);
    }
  }

  /** The base64 of the DER ECDSA signature of SHA-256({@code payload}). */
  public String sign(byte[] payload) {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(key);
      signature.update(payload);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign with the key from " + source, e);
    }
  }

  private static byte[] body(String pem, String label) {
    int start = pem.indexOf("-----BEGIN " + label + "-----") + ("-----BEGIN " + label + "-----").length();
    int end = pem.indexOf("-----END " + label + "-----", start);
    if (end < 0) {
      throw new IllegalArgumentException("no END line");
    }
    return Base64.getMimeDecoder().decode(pem.substring(start, end));
  }

  /** PKCS#8 around a SEC 1 key, which Java's KeyFactory reads. */
  private static byte[] wrapSec1(byte[] sec1) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    inner.writeBytes(P256_ALGORITHM);
    inner.write(0x04);
    writeLength(inner, sec1.length);
    inner.writeBytes(sec1);
    ByteArrayOutputStream outer = new ByteArrayOutputStream();
    outer.write(0x30);
    writeLength(outer, inner.size());
    outer.writeBytes(inner.toByteArray());
    return outer.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    }
  }
}
