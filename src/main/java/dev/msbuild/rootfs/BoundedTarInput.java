package dev.msbuild.rootfs;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A layer's tar entries, each entry's metadata read within {@link #MAX_ENTRY_METADATA} bytes.
 * commons-compress keeps a GNU long name or a PAX header in memory whole before it returns the
 * entry, so one header that declares a 2 GiB name would exhaust the heap of whoever reads the
 * layer; here the read stops at the bound with an {@link IOException} instead. Callers bound
 * entries and content themselves ({@link #contentSize}), with messages that name their setting.
 */
public final class BoundedTarInput implements Closeable {
  /**
   * The most bytes of headers, long names and PAX records one entry may take. A path is at most
   * 4096 bytes (PATH_MAX) and real PAX records (times, xattrs, SELinux labels) a few hundred.
   */
  public static final int MAX_ENTRY_METADATA = 1 << 20;

  private final Metered metered;
  private final TarArchiveInputStream tar;
  private final String layerName;
  private TarArchiveEntry current;
  private long metadataBytes;

  /** @param decompressedTar the layer's tar stream, as {@link LayerUnpacker#decompressed} gives it */
  public BoundedTarInput(InputStream decompressedTar, String layerName) {
    this.metered = new Metered(decompressedTar);
    this.tar = new TarArchiveInputStream(metered);
    this.layerName = layerName;
  }

  /** Thrown when one entry's metadata is larger than {@link #MAX_ENTRY_METADATA}. */
  public static final class MetadataTooLargeException extends IOException {
    MetadataTooLargeException(String message) {
      super(message);
    }
  }

  /** The next entry, or null at the end; what was left of the current entry's content is skipped first. */
  public TarArchiveEntry next() throws IOException {
    if (current != null) {
      // Skipped here rather than inside getNextEntry, so that only metadata counts against the bound.
      tar.skip(Long.MAX_VALUE);
    }
    // One record of the previous entry's padding is read before the next header.
    long start = metered.position;
    metered.limitTo(MAX_ENTRY_METADATA + 512L);
    try {
      current = tar.getNextEntry();
    } catch (IOException e) {
      if (metered.exceeded) {
        throw tooLarge();
      }
      throw e;
    } finally {
      metered.unlimited();
    }
    if (metered.exceeded) {
      throw tooLarge();
    }
    metadataBytes = metered.position - start;
    return current;
  }

  private MetadataTooLargeException tooLarge() {
    return new MetadataTooLargeException(
        "layer " + layerName + ": an entry's metadata (long name or PAX header) after "
            + (current == null ? "the start of the layer" : "'" + current.getName() + "'") + " is larger than "
            + MAX_ENTRY_METADATA + " bytes, which no real image needs");
  }

  /** The current entry's content. */
  public InputStream content() {
    return tar;
  }

  /** The bytes of headers, long names, PAX records and padding read for the current entry. */
  public long metadataBytes() {
    return metadataBytes;
  }

  /**
   * The bytes an entry's content takes when read: its declared size, or for a sparse file the
   * size it expands to, which is what the reader returns and may be far more than it stores.
   */
  public static long contentSize(TarArchiveEntry entry) {
    return Math.max(entry.getSize(), entry.getRealSize());
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  /** Counts what passes and, while a limit is set, stops past it. */
  private static final class Metered extends FilterInputStream {
    long position;
    private long limit = Long.MAX_VALUE;
    boolean exceeded;
    private byte[] skipBuffer;

    Metered(InputStream in) {
      super(in);
    }

    void limitTo(long bytes) {
      limit = position + bytes;
      exceeded = false;
    }

    void unlimited() {
      limit = Long.MAX_VALUE;
    }

    private void check() throws IOException {
      if (position > limit) {
        exceeded = true;
        throw new IOException("entry metadata over the bound");
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        position++;
        check();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      // Never read far past the limit: the reader keeps what it reads in memory.
      int allowed = limit == Long.MAX_VALUE ? length : (int) Math.max(1, Math.min(length, limit - position + 1));
      int n = super.read(buffer, offset, allowed);
      if (n > 0) {
        position += n;
        check();
      }
      return n;
    }

    /** Skips by reading in large chunks: a decompressor's own skip reads 512 bytes at a time. */
    @Override
    public long skip(long n) throws IOException {
      if (skipBuffer == null) {
        skipBuffer = new byte[65536];
      }
      byte[] buffer = skipBuffer;
      long skipped = 0;
      while (skipped < n) {
        int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }
  }
}
