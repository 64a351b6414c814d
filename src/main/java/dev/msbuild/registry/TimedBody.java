package dev.msbuild.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an InputStream that gives up when no byte arrives for a while. The JDK's
 * client times out only until the headers; a registry (or a proxy) that stalls in mid-body would
 * otherwise hang the build for good. A stall is an IOException, which the caller retries.
 */
final class TimedBody implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> stream = new CompletableFuture<>();
  private final Duration stall;
  private volatile Flow.Subscription subscription;

  TimedBody(Duration stall) {
    this.stall = stall;
  }

  static HttpResponse.BodyHandler<InputStream> handler(Duration stall) {
    return info -> new TimedBody(stall);
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return stream;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    stream.complete(new Reader());
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    queue.add(buffers);
  }

  @Override
  public void onError(Throwable error) {
    queue.add(error);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  private final class Reader extends InputStream {
    private Iterator<ByteBuffer> current = java.util.Collections.emptyIterator();
    private ByteBuffer buffer;
    private boolean done;
    private boolean closed;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the response body was closed");
      }
      if (len == 0) {
        return 0;
      }
      while (buffer == null || !buffer.hasRemaining()) {
        if (current.hasNext()) {
          buffer = current.next();
          continue;
        }
        if (done) {
          return -1;
        }
        next();
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }

    @SuppressWarnings("unchecked")
    private void next() throws IOException {
      Object item;
      try {
        item = queue.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while reading a registry response");
      }
      if (item == null) {
        subscription.cancel();
        throw new IOException("the response stalled: no data for " + stall.toSeconds() + " s");
      }
      if (item instanceof Throwable error) {
        done = true;
        throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
      }
      if (item == END) {
        done = true;
        return;
      }
      current = ((List<ByteBuffer>) item).iterator();
      subscription.request(1);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (!done) {
          subscription.cancel();
        }
      }
    }
  }
}
