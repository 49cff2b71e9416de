package io.inferscope.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cheapest client that still streams: one thread, one selector, every stream's bytes read and
 * discarded. It parses nothing, so it takes the engine's CPU as little as a client can; what the
 * engine's schedule slips by under it is the engine's own share, the floor every real client's row
 * is compared with. Closed loop on keep-alive connections: each stream sends its next request as
 * soon as its response's last chunk arrived, until the level's time is up.
 */
final class TrivialClient {

  /** The end of a chunked body: a zero-size chunk with no trailers. SSE data holds no CR. */
  private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final int[] FAILURE = failureTable(LAST_CHUNK);
  private static final long SELECT_TIMEOUT_MILLIS = 100;

  /** Longest time with no byte from the engine while streams are open: then it has stalled. */
  static final Duration MAX_SILENCE = Duration.ofSeconds(30);

  /**
   * What one run did.
   *
   * @param responses responses read to their end
   * @param bytes bytes read
   */
  record Result(long responses, long bytes) {}

  private TrivialClient() {}

  /**
   * {@code TrivialClient URL STREAMS MAX_TOKENS SECONDS PROMPT}: one level in a process of its own,
   * which {@code bench fidelity} runs to warm the engine before its cold level without touching its
   * own JVM. Prints the responses read; exits 1 when a stream fails.
   */
  public static void main(String[] args) {
    try {
      Result r =
          run(
              URI.create(args[0]),
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              args[4],
              Duration.ofSeconds(Long.parseLong(args[3])));
      System.out.println(r.responses() + " responses");
    } catch (IOException e) {
      System.err.println("trivial client: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Streams {@code streams} concurrent chat requests for {@code duration}, then lets every response
   * under way end.
   *
   * @throws IOException when a connection fails: the engine should serve every stream
   */
  static Result run(URI baseUrl, int streams, int maxTokens, String prompt, Duration duration)
      throws IOException {
    byte[] request = request(baseUrl, maxTokens, prompt);
    InetSocketAddress address = new InetSocketAddress(baseUrl.getHost(), baseUrl.getPort());
    long deadline = System.nanoTime() + duration.toNanos();
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    long responses = 0;
    long bytes = 0;
    List<SocketChannel> channels = new ArrayList<>(streams);
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < streams; i++) {
        SocketChannel ch = SocketChannel.open(address);
        channels.add(ch);
        ch.configureBlocking(false);
        ch.socket().setTcpNoDelay(true);
        ch.register(selector, SelectionKey.OP_READ, new int[1]);
        send(ch, request);
      }
      int open = streams;
      long lastByteNanos = System.nanoTime();
      while (open > 0) {
        if (selector.select(SELECT_TIMEOUT_MILLIS) == 0) {
          if (System.nanoTime() - lastByteNanos > MAX_SILENCE.toNanos()) {
            throw new IOException(
                "no byte from the engine for "
                    + MAX_SILENCE.toSeconds()
                    + " s with "
                    + open
                    + " streams open");
          }
          continue;
        }
        lastByteNanos = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) key.channel();
          int[] matched = (int[]) key.attachment();
          int n;
          while ((n = ch.read(in.clear())) > 0) {
            bytes += n;
            in.flip();
            for (int i = 0; i < n; i++) {
              if (advance(matched, in.get(i))) {
                responses++;
                if (System.nanoTime() - deadline < 0) {
                  send(ch, request);
                } else {
                  key.cancel();
                  open--;
                }
              }
            }
          }
          if (n < 0) {
            throw new IOException("the engine closed a stream's connection mid-level");
          }
        }
        selector.selectedKeys().clear();
      }
    } finally {
      for (SocketChannel ch : channels) {
        ch.close();
      }
    }
    return new Result(responses, bytes);
  }

  /** Feeds one byte to a stream's search for the last chunk; true when it just ended. */
  private static boolean advance(int[] matched, byte b) {
    int m = matched[0];
    while (m > 0 && LAST_CHUNK[m] != b) {
      m = FAILURE[m - 1];
    }
    if (LAST_CHUNK[m] == b) {
      m++;
    }
    if (m == LAST_CHUNK.length) {
      matched[0] = 0;
      return true;
    }
    matched[0] = m;
    return false;
  }

  /** Knuth–Morris–Pratt: the longest proper prefix of pattern[0..i] that is also its suffix. */
  private static int[] failureTable(byte[] pattern) {
    int[] f = new int[pattern.length];
    int k = 0;
    for (int i = 1; i < pattern.length; i++) {
      while (k > 0 && pattern[i] != pattern[k]) {
        k = f[k - 1];
      }
      if (pattern[i] == pattern[k]) {
        k++;
      }
      f[i] = k;
    }
    return f;
  }

  /** Requests are small: the send buffer of an idle keep-alive connection takes one whole. */
  private static void send(SocketChannel ch, byte[] request) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(request);
    while (out.hasRemaining()) {
      if (ch.write(out) == 0) {
        Thread.onSpinWait();
      }
    }
  }

  static byte[] request(URI baseUrl, int maxTokens, String prompt) {
    StringBuilder body =
        new StringBuilder(
            "{\"model\":\"sim-model\",\"messages\":[{\"role\":\"user\",\"content\":\"");
    for (char c : prompt.toCharArray()) {
      if (c == '"' || c == '\\') {
        body.append('\\');
      }
      body.append(c);
    }
    body.append("\"}],\"max_tokens\":")
        .append(maxTokens)
        .append(",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: "
            + baseUrl.getHost()
            + ":"
            + baseUrl.getPort()
            + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
            + "Content-Length: "
            + json.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + json.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(json, 0, all, headBytes.length, json.length);
    return all;
  }
}
