package dev.msbuild.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip at level 9, compressed in blocks side by side on every core, as pigz does: each block of
 * 256 KiB is deflated on its own with the 32 KiB before it as its dictionary, and the pieces
 * joined (each but the last ends in a sync flush) make one ordinary deflate stream. The bytes
 * depend on the data alone, never on the number of threads or their timing, so layers stay
 * reproducible; the cost is a few bytes per block.
 */
final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 256 << 10;
  private static final int DICTIONARY = 32 << 10;
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** gzip's header, no name or time: ID1 ID2, deflate, no flags, mtime 0, XFL 2 (best), OS 3 (Unix). */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, r -> {
    Thread t = new Thread(r, "msbuild-gzip");
    t.setDaemon(true);
    return t;
  });

  private final OutputStream out;
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK];
  private int filled;
  private byte[] dictionary;
  private long total;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream out) throws IOException {
    this.out = out;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc.update(b, off, len);
    total += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == BLOCK) {
        submit(false);
      }
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = filled;
    byte[] dict = dictionary;
    dictionary = Arrays.copyOfRange(data, Math.max(0, length - DICTIONARY), length);
    pending.addLast(POOL.submit(() -> deflate(data, length, dict, last)));
    block = new byte[BLOCK];
    filled = 0;
    // Bounded memory: write out finished blocks once enough are in flight.
    while (pending.size() > 2 * THREADS) {
      out.write(next());
    }
  }

  private byte[] next() throws IOException {
    try {
      return pending.removeFirst().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing a layer");
    } catch (ExecutionException e) {
      throw new IOException("compressing a layer failed: " + e.getCause(), e.getCause());
    }
  }

  static byte[] deflate(byte[] data, int length, byte[] dictionary, boolean last) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      if (dictionary != null && dictionary.length > 0) {
        deflater.setDictionary(dictionary);
      }
      deflater.setInput(data, 0, length);
      ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 2 + 64);
      byte[] buffer = new byte[64 << 10];
      if (last) {
        deflater.finish();
        while (!deflater.finished()) {
          compressed.write(buffer, 0, deflater.deflate(buffer));
        }
      } else {
        while (!deflater.needsInput()) {
          compressed.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        }
        // A sync flush ends the piece on a byte boundary without ending the stream.
        int n;
        do {
          n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
          compressed.write(buffer, 0, n);
        } while (n == buffer.length);
      }
      return compressed.toByteArray();
    } finally {
      deflater.end();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!pending.isEmpty()) {
        out.write(next());
      }
      writeIntLe((int) crc.getValue());
      writeIntLe((int) total);
    } finally {
      pending.forEach(f -> f.cancel(true));
      out.close();
    }
  }

  private void writeIntLe(int v) throws IOException {
    out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }
}
