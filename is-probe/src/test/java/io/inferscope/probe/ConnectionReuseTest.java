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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers close idle keep-alive connections (llama.cpp and uvicorn after 5 s). With retries off,
 * the pool must drop idle connections before the server does.
 */
@Timeout(30)
class ConnectionReuseTest {

  /** An HTTP/1.1 server that answers a short stream and closes a connection idle for 300 ms. */
  private static final class KeepAliveServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    KeepAliveServer() throws IOException {
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

    private static void serve(Socket s) {
      try (s) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        byte[] body = TestServer.okStream(2).getBytes(StandardCharsets.UTF_8);
        while (true) {
          s.setSoTimeout(300);
          int length;
          try {
            length = readHead(in);
          } catch (SocketTimeoutException e) {
            return; // idle too long: close, as the engines do
          }
          if (length < 0) {
            return;
          }
          in.readNBytes(length);
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
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

  private static List<RequestTrace> run(URI url, Duration poolKeepAlive) throws Exception {
    // Open loop at 1.6/s: each request finds the connection idle for about 600 ms.
    LoadSpec spec = new SpecBuilder(url).rate(1.6).requests(2).build();
    return LoadRunner.create(spec, RunClock.startNow(), poolKeepAlive).run(null);
  }

  @Test
  void idleConnectionsAreDroppedBeforeTheServerClosesThem() throws Exception {
    try (KeepAliveServer server = new KeepAliveServer()) {
      List<RequestTrace> traces = run(server.baseUrl(), Duration.ofMillis(150));
      assertThat(traces).allMatch(RequestTrace::ok);
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void reusingAConnectionTheServerClosedFails() throws Exception {
    // The hazard the short keep-alive avoids: retries are off, so the stale reuse is a failure.
    try (KeepAliveServer server = new KeepAliveServer()) {
      List<RequestTrace> traces = run(server.baseUrl(), Duration.ofMinutes(5));
      assertThat(traces.get(0).ok()).isTrue();
      assertThat(traces.get(1).failure()).isInstanceOf(Failure.Truncated.class);
      assertThat(traces.get(1).failure().detail())
          .startsWith("connection closed before the response headers");
    }
  }

  @Test
  void theDefaultKeepAliveIsShorterThanTheEnginesIdleTimeout() {
    assertThat(HttpClients.POOL_KEEP_ALIVE).isLessThan(Duration.ofSeconds(5));
  }
}
