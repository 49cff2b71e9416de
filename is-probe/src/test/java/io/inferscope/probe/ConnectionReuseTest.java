package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers close idle keep-alive connections (llama.cpp and uvicorn after 5 s), and llama.cpp closes
 * a connection right after each streamed answer while still advertising keep-alive. The pool must
 * drop idle connections before the server does, and a request that meets a dead pooled connection
 * before any response byte is retried once on a fresh one; nothing else is retried.
 */
@Timeout(30)
class ConnectionReuseTest {

  /**
   * An HTTP/1.1 server that answers a short stream and closes a connection idle for {@code
   * idleMillis}; it notes which side ended each idle connection.
   */
  private static final class KeepAliveServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch closedByClient = new CountDownLatch(1);
    private final CountDownLatch idledOut = new CountDownLatch(1);
    private final boolean closeAfterAnswer;
    private final boolean neverAnswer;
    private final int idleMillis;

    KeepAliveServer() throws IOException {
      this(false, false, 300);
    }

    KeepAliveServer(boolean closeAfterAnswer, boolean neverAnswer) throws IOException {
      this(closeAfterAnswer, neverAnswer, 300);
    }

    KeepAliveServer(boolean closeAfterAnswer, boolean neverAnswer, int idleMillis)
        throws IOException {
      this.closeAfterAnswer = closeAfterAnswer;
      this.neverAnswer = neverAnswer;
      this.idleMillis = idleMillis;
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    URI baseUrl() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(s));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        byte[] body = TestServer.okStream(2).getBytes(StandardCharsets.UTF_8);
        while (true) {
          s.setSoTimeout(idleMillis);
          int length;
          try {
            length = readHead(in);
          } catch (SocketTimeoutException e) {
            idledOut.countDown();
            return; // idle too long: close, as the engines do
          }
          if (length < 0) {
            closedByClient.countDown();
            return;
          }
          in.readNBytes(length);
          if (neverAnswer) {
            return; // the request reached the server, which dies without answering
          }
          // Counted before the bytes go out: the client may finish the run as soon as they land.
          answered.incrementAndGet();
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
          if (closeAfterAnswer) {
            return; // llama.cpp: close after a streamed answer, keep-alive notwithstanding
          }
        }
      } catch (IOException e) {
        // client gone
      }
    }

    /** Reads a request head; returns its Content-Length, or -1 at end of stream. */
    private static int readHead(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int length = 0;
      boolean any = false;
      int b;
      while ((b = in.read()) != -1) {
        any = true;
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String l = line.toString(StandardCharsets.US_ASCII).trim();
        line.reset();
        if (l.isEmpty()) {
          return length;
        }
        if (l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(l.substring(15).trim());
        }
      }
      return any ? length : -1;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Two requests, one after the other; between them, once the first has ended, waits for {@code
   * between} (a latch the server counts down), at most 10 s: a guard, not a pace.
   */
  private static List<RequestTrace> run(URI url, Duration poolKeepAlive, CountDownLatch between)
      throws Exception {
    LoadSpec spec = TestSpecs.to(url).requests(2).build();
    return LoadRunner.create(spec, RunClock.startNow(), poolKeepAlive)
        .run(
            t -> {
              try {
                between.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            })
        .traces();
  }

  @Test
  void idleConnectionsAreDroppedBeforeTheServerClosesThem() throws Exception {
    // This server leaves idle connections open: only the pool's keep-alive can end one.
    try (KeepAliveServer server = new KeepAliveServer(false, false, 60_000)) {
      List<RequestTrace> traces =
          run(server.baseUrl(), Duration.ofMillis(150), server.closedByClient);
      assertThat(server.closedByClient.getCount())
          .as("the pool dropped the idle connection")
          .isZero();
      assertThat(traces).allMatch(RequestTrace::ok);
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void aPooledConnectionTheServerClosedIsRetriedOnceOnAFreshOne() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer()) {
      // The second request goes out only once the server has closed the pooled connection.
      List<RequestTrace> traces = run(server.baseUrl(), Duration.ofMinutes(5), server.idledOut);
      assertThat(server.idledOut.getCount()).as("the server closed the idle connection").isZero();
      assertThat(traces).allMatch(RequestTrace::ok);
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.answered.get()).isEqualTo(2);
    }
  }

  @Test
  void serverClosingAfterEveryStreamCostsNoRequest() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer(true, false)) {
      LoadSpec spec = TestSpecs.to(server.baseUrl()).requests(12).build();
      List<RequestTrace> traces = LoadRunner.create(spec, RunClock.startNow()).run(null).traces();
      assertThat(traces).hasSize(12).allMatch(RequestTrace::ok);
      assertThat(server.answered.get()).isEqualTo(12);
      assertThat(server.connections.get()).isEqualTo(12);
    }
  }

  @Test
  void aFreshConnectionClosedBeforeTheAnswerIsAFailureNotARetry() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer(false, true)) {
      LoadSpec spec = TestSpecs.to(server.baseUrl()).requests(3).build();
      List<RequestTrace> traces = LoadRunner.create(spec, RunClock.startNow()).run(null).traces();
      assertThat(traces).hasSize(3).allMatch(t -> t.failure() instanceof Failure.Truncated);
      assertThat(server.connections.get()).isEqualTo(3);
    }
  }

  @Test
  void theDefaultKeepAliveIsShorterThanTheEnginesIdleTimeout() {
    assertThat(StreamClient.POOL_KEEP_ALIVE).isLessThan(Duration.ofSeconds(5));
  }
}
