package io.inferscope.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server for tests: each request gets the {@link Responder} of its arrival number
 * and is recorded (headers and body). Closing it releases every responder blocked on {@link
 * #released()} and frees the port.
 */
final class TestServer implements AutoCloseable {

  /** Answers one request; {@code n} counts requests from 0 in arrival order. */
  interface Responder {
    void respond(int n, HttpExchange exchange) throws Exception;
  }

  /** What the server received. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger count = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch released;

  TestServer(Responder responder) throws IOException {
    this(new CountDownLatch(1), responder);
  }

  /** A server that counts {@code released} down when it closes. */
  TestServer(CountDownLatch released, Responder responder) throws IOException {
    this.released = released;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          int n = count.getAndIncrement();
          try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            responder.respond(n, exchange);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // The client went away (cancelled, timed out): expected in fault tests.
          } catch (Exception e) {
            throw new IllegalStateException(e);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  int requestCount() {
    return count.get();
  }

  /** Released when the server closes: responders that must hang wait on it. */
  CountDownLatch released() {
    return released;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- responders

  /** Replays a captured response byte for byte, pausing {@code gapMillis} between SSE events. */
  static void replay(HttpExchange ex, Fixtures.Captured c, long gapMillis)
      throws IOException, InterruptedException {
    boolean fixedLength = false;
    for (Map.Entry<String, String> h : c.headers().entrySet()) {
      String name = h.getKey();
      if (name.equalsIgnoreCase("Content-Length")) {
        fixedLength = true;
      } else if (!name.equalsIgnoreCase("Transfer-Encoding")
          && !name.equalsIgnoreCase("Keep-Alive")
          && !name.equalsIgnoreCase("Connection")) {
        ex.getResponseHeaders().add(name, h.getValue());
      }
    }
    ex.sendResponseHeaders(c.status(), fixedLength ? c.body().length : 0);
    OutputStream out = ex.getResponseBody();
    if (gapMillis <= 0) {
      out.write(c.body());
      out.flush();
      return;
    }
    for (byte[] event : splitEvents(c.body())) {
      out.write(event);
      out.flush();
      Thread.sleep(gapMillis);
    }
  }

  /** Splits a body after each blank line ({@code \n\n}), keeping every byte. */
  static List<byte[]> splitEvents(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 1 < body.length; i++) {
      if (body[i] == '\n' && body[i + 1] == '\n') {
        out.add(java.util.Arrays.copyOfRange(body, start, i + 2));
        start = i + 2;
        i++;
      }
    }
    if (start < body.length) {
      out.add(java.util.Arrays.copyOfRange(body, start, body.length));
    }
    return out;
  }

  /** Starts an event stream (HTTP 200, text/event-stream, chunked). */
  static OutputStream startStream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    return ex.getResponseBody();
  }

  /** Writes raw text and flushes it to the wire. */
  static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Answers a status with a body. */
  static void status(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", contentType);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  /** A short, complete OpenAI chat stream of {@code tokens} one-char content chunks. */
  static String okStream(int tokens) {
    StringBuilder sb = new StringBuilder();
    sb.append(chunk("{\"role\":\"assistant\",\"content\":null}", null));
    for (int i = 0; i < tokens; i++) {
      sb.append(chunk("{\"content\":\"x\"}", null));
    }
    sb.append(chunk("{}", "\"stop\""));
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  /** One chat chunk event. */
  static String chunk(String delta, String finishReasonJson) {
    return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + (finishReasonJson == null ? "null" : finishReasonJson)
        + "}]}\n\n";
  }
}
