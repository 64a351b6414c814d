package dev.msbuild.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A hostile layer: a gzip'd tar whose one file is gigabytes of zeros, yet a few MB on disk, the
 * way a registry could serve it. Written in well under a second without compressing gigabytes:
 * one MiB of zeros is deflated once, on its own, and that block repeated; each copy refers only
 * to bytes inside itself, so the concatenation is a valid deflate stream of all the zeros.
 */
public final class GzipBomb {
  private static final int CHUNK = 1 << 20;

  /**
   * The layer written, with what an image config and manifest need.
   *
   * @param diffId the uncompressed tar's digest; empty unless asked for (hashing gigabytes takes seconds)
   */
  public record Layer(Path file, String digest, java.util.Optional<String> diffId, long size) {}

  private GzipBomb() {}

  /**
   * Writes {@code file}: a directory entry for each parent of {@code name}, then {@code name}
   * holding {@code size} zero bytes (a multiple of 1 MiB), then the end-of-archive records.
   *
   * @param name the entry's name, relative ({@code etc/passwd})
   */
  public static Layer write(Path file, String name, long size, boolean withDiffId) throws IOException {
    if (size % CHUNK != 0) {
      throw new IllegalArgumentException("size must be a multiple of 1 MiB: " + size);
    }
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    String[] parts = name.split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      dir.append(parts[i]).append('/');
      TarArchiveEntry parent = new TarArchiveEntry(dir.toString());
      headers.write(header(parent));
    }
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0100644);
    headers.write(header(entry));
    byte[] head = headers.toByteArray();
    byte[] zeros = new byte[CHUNK];
    byte[] tail = new byte[1024]; // two zero records end a tar; the content needs no padding

    MessageDigest diffId = sha256();
    CRC32 crc = new CRC32();
    diffId.update(head);
    crc.update(head);
    long chunks = size / CHUNK;
    for (long i = 0; i < chunks; i++) {
      if (withDiffId) {
        diffId.update(zeros);
      }
      crc.update(zeros);
    }
    diffId.update(tail);
    crc.update(tail);
    long total = head.length + size + tail.length;

    byte[] block = deflate(zeros, false);
    MessageDigest digest = sha256();
    try (OutputStream out = new java.security.DigestOutputStream(
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16), digest)) {
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
      out.write(deflate(head, false));
      for (long i = 0; i < chunks; i++) {
        out.write(block);
      }
      out.write(deflate(tail, true));
      writeIntLe(out, crc.getValue());
      writeIntLe(out, total & 0xffffffffL);
    }
    return new Layer(file, "sha256:" + HexFormat.of().formatHex(digest.digest()),
        withDiffId ? java.util.Optional.of("sha256:" + HexFormat.of().formatHex(diffId.digest())) : java.util.Optional.empty(),
        Files.size(file));
  }

  private static byte[] header(TarArchiveEntry entry) {
    byte[] record = new byte[512];
    entry.writeEntryHeader(record);
    return record;
  }

  /** Raw deflate of {@code data} from an empty window: flushed to a byte boundary, or the final block. */
  private static byte[] deflate(byte[] data, boolean last) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      deflater.setInput(data);
      if (last) {
        deflater.finish();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[65536];
      while (true) {
        int n = deflater.deflate(buffer, 0, buffer.length, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
        out.write(buffer, 0, n);
        if (last ? deflater.finished() : n < buffer.length && deflater.needsInput()) {
          return out.toByteArray();
        }
      }
    } finally {
      deflater.end();
    }
  }

  private static void writeIntLe(OutputStream out, long value) throws IOException {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
