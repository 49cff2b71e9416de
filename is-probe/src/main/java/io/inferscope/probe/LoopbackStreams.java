package io.inferscope.probe;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A loopback server of the process's own, serving canned event streams on a thread of its own, and
 * a stream client reading from it: the whole read path exercised with no engine (the reader's
 * set-up and its self-warm). Closing it closes the client, then the server.
 */
final class LoopbackStreams implements AutoCloseable {
  /** The response's head: an event stream in chunks, the connection closed after it. */
  static final byte[] HEAD =
      head(
          "Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");

  /**
   * Bounds of a loopback exchange: short, since a server of the process's own answers at once; a
   * stuck one only leaves the path cold.
   */
  static final Timeouts TIMEOUTS =
      Timeouts.defaults()
          .withConnect(Duration.ofSeconds(2))
          .withFirstByte(Duration.ofSeconds(2))
          .withIdle(Duration.ofSeconds(2))
          .withTotal(Duration.ofSeconds(10));

  /** The same head for a connection kept alive (HTTP/1.1's default), as engines answer. */
  static final byte[] HEAD_KEEP_ALIVE =
      head("Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n");

  /**
   * Heads of answers kept alive as engines send them, for the loopback servers to take in turn:
   * {@link #HEAD_KEEP_ALIVE}, the simulated engine's, llama.cpp's (cpp-httplib) and uvicorn's
   * (vLLM, SGLang), whose other headers, lower-case names and charset take other branches of the
   * HTTP decoder (those first taken by the engine's answers were deoptimized as the run started).
   */
  static final byte[][] HEADS_KEEP_ALIVE = {
    HEAD_KEEP_ALIVE,
    head(
        "Server: inferscope-sim\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "X-Accel-Buffering: no\r\nTransfer-Encoding: chunked\r\n"),
    head(
        "Server: llama.cpp\r\nAccess-Control-Allow-Origin: \r\n"
            + "Content-Type: text/event-stream; charset=utf-8\r\n"
            + "Keep-Alive: timeout=5, max=100\r\nTransfer-Encoding: chunked\r\n"),
    head(
        "date: Mon, 07 Dec 2026 19:40:00 GMT\r\nserver: uvicorn\r\n"
            + "content-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n")
  };

  /** A 200 answer's head with {@code headers} (each line ending in CRLF). */
  private static byte[] head(String headers) {
    return ("HTTP/1.1 200 OK\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A text event as engines send it. */
  static final byte[] CONTENT =
      chunk(
          "{\"id\":\"w\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
              + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" w\"},"
              + "\"finish_reason\":null}]}");

  private final ServerSocketChannel server;
  private final Thread serving;
  private final RunClock clock;
  private final StreamClient client;

  private LoopbackStreams(
      ServerSocketChannel server, Thread serving, RunClock clock, StreamClient client) {
    this.server = server;
    this.serving = serving;
    this.clock = clock;
    this.client = client;
  }

  /**
   * Opens the server ({@code backlog} connections waiting at most), starts {@code serve} on a
   * platform thread named {@code name}, and a client of {@code eventLoops} event loops.
   */
  static LoopbackStreams open(
      String name, int backlog, Consumer<ServerSocketChannel> serve, int eventLoops)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    Thread serving = null;
    try {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      serving = Thread.ofPlatform().daemon().name(name).start(() -> serve.accept(server));
      RunClock clock = RunClock.startNow();
      StreamClient client =
          new StreamClient(
              URI.create("http://127.0.0.1:" + port + Endpoint.CHAT.path()),
              clock,
              TIMEOUTS,
              Duration.ofSeconds(1),
              "{}".getBytes(StandardCharsets.US_ASCII),
              null,
              eventLoops,
              null);
      return new LoopbackStreams(server, serving, clock, client);
    } catch (IOException | RuntimeException e) {
      if (serving != null) {
        serving.interrupt();
      }
      server.close();
      throw e;
    }
  }

  /** Sends request {@code id} to the server; its trace when it ends. */
  CompletableFuture<RequestTrace> start(int id) {
    return client.start(id, false, clock.nowNanos(), new RequestHandle());
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
    } finally {
      serving.interrupt();
      server.close();
    }
  }

  /** One SSE event as one HTTP chunk. */
  static byte[] chunk(String json) {
    byte[] data = ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 12);
    out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** A text event with the simulated engine's send stamp, as it sends them. */
  static byte[] stamped() {
    return chunk(
        "{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
            + "{\"content\":\" w\"},\"finish_reason\":null}],\"x_inferscope_sent_ns\":"
            + System.nanoTime()
            + "}");
  }

  /**
   * Events in the shapes engines send, for the loopback servers to take in turn: the JIT compiles
   * the read path for the branches its input took, and a branch first taken by the engine's events
   * sends the compiled code back to the interpreter (a deoptimization) in the run's first seconds.
   * With only ASCII text events here, the run's first three seconds at 512 streams saw 186 such
   * deoptimizations, the chunk reader's among them (its UTF-8, escape and number branches), and the
   * client fell a whole token gap behind (docs/benchmarks.md, "Cold start: the reader warms
   * itself"). So: the role event, text of 1- to 4-byte UTF-8 characters, JSON escapes (unicode ones
   * and surrogate pairs among them), reasoning text under both names engines use, the completions
   * endpoint's text, fields a reader skips (nested objects and arrays, numbers, true, false, null),
   * with and without the simulated engine's send stamp. The finish, timings and usage are in {@link
   * #tail}.
   */
  static final byte[][] ENGINE_EVENTS = engineEvents();

  private static byte[][] engineEvents() {
    String stamp = ",\"x_inferscope_sent_ns\":" + System.nanoTime();
    String chat =
        "{\"id\":\"chatcmpl-w\",\"object\":\"chat.completion.chunk\",\"created\":1796671835,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":";
    String open = ",\"logprobs\":null,\"finish_reason\":null}]";
    String[] deltas = {
      "{\"role\":\"assistant\",\"content\":null}",
      "{\"content\":\" w\"}",
      "{\"content\":\" Gr\u00f6\u00dfe\"}",
      "{\"content\":\" \u65e5\u672c\u8a9e\"}",
      "{\"content\":\" \uD83D\uDE00\"}",
      "{\"content\":\" back\\\\slash \\\"q\\\"\\n\\t\\/\"}",
      "{\"content\":\" caf\\u00e9 \\ud83d\\ude00\"}",
      "{\"reasoning_content\":\" think\"}",
      "{\"reasoning\":\" think\"}",
      "{\"content\":\"\",\"tool_calls\":[]}",
    };
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < deltas.length; i++) {
      out.add(chunk(chat + deltas[i] + open + (i % 2 == 0 ? stamp : "") + "}"));
    }
    out.add(CONTENT);
    out.add(
        chunk(
            "{\"id\":\"cmpl-w\",\"object\":\"text_completion\",\"created\":1796671835,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" ex\",\"logprobs\":null,"
                + "\"finish_reason\":null}]"
                + stamp
                + "}"));
    out.add(
        chunk(
            chat
                + "{\"content\":\" w\"},\"logprobs\":{\"content\":[{\"token\":\" w\","
                + "\"logprob\":-0.25,\"bytes\":[32,119],\"top_logprobs\":[]}]},"
                + "\"finish_reason\":null,\"stop_reason\":null}],\"system_fingerprint\":\"fp_w\","
                + "\"usage\":null,\"x_cached\":true,\"x_final\":false,\"x_ratio\":1.5e-3}"));
    return out.toArray(new byte[0][]);
  }

  /**
   * The end of a stream of {@code tokens} events (their usage and timings count them all, text or
   * not: nothing compares them here), as llama.cpp sends it (and the simulated engine after it):
   * the finish, then usage and timings in a last chunk with every field llama.cpp gives them
   * (measured rates with all their digits), then [DONE]. With a shorter usage and four fields of
   * timings, the first answers of a run sent the chunk reader's usage and timings parsers back to
   * the interpreter (`-Xlog:deoptimization`: unstable branches in both).
   */
  static byte[] tail(int tokens) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "\"created\":1795572018,\"id\":\"chatcmpl-w\",\"model\":\"m\","
            + "\"system_fingerprint\":\"b1-w\",\"object\":\"chat.completion.chunk\"";
    out.writeBytes(
        chunk(
            "{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}],"
                + head
                + "}"));
    out.writeBytes(
        chunk(
            String.format(
                Locale.ROOT,
                "{\"choices\":[],%s,\"usage\":{\"completion_tokens\":%d,\"prompt_tokens\":34,"
                    + "\"total_tokens\":%d,\"prompt_tokens_details\":{\"cached_tokens\":33}},"
                    + "\"timings\":{\"cache_n\":33,\"prompt_n\":1,\"prompt_ms\":2.654,"
                    + "\"prompt_per_token_ms\":2.654,\"prompt_per_second\":376.78975131876416,"
                    + "\"predicted_n\":%d,\"predicted_ms\":44.061,"
                    + "\"predicted_per_token_ms\":1.4213225806451613,"
                    + "\"predicted_per_second\":703.5700506116519}}",
                head,
                tokens,
                tokens + 34,
                tokens)));
    byte[] done = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    out.writeBytes((Integer.toHexString(done.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(done);
    out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /**
   * Reads one request, headers and body, so that closing the connection resets nothing; false when
   * the connection ended first.
   */
  static boolean readRequest(SocketChannel ch) throws IOException {
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    int headerEnd = -1;
    long bodyLength = 0;
    while (true) {
      if (ch.read(in) < 0) {
        return false;
      }
      if (headerEnd < 0) {
        String seen = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
        int end = seen.indexOf("\r\n\r\n");
        if (end >= 0) {
          headerEnd = end + 4;
          for (String line : seen.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              bodyLength = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
          }
        }
      }
      if (headerEnd >= 0 && in.position() - headerEnd >= bodyLength) {
        return true;
      }
      if (!in.hasRemaining()) {
        return true; // larger than a warm-up request can be
      }
    }
  }

  /** Writes all of {@code bytes}. */
  static void write(SocketChannel ch, byte[] bytes) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    while (out.hasRemaining()) {
      ch.write(out);
    }
  }
}
