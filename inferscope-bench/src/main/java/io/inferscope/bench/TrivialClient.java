package io.inferscope.bench;

import io.inferscope.core.Summary;
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
 * discarded. It parses nothing but three byte patterns, so it takes the engine's CPU as little as a
 * client can; what the engine's schedule slips by under it is the engine's own share, the floor
 * every real client's row is compared with. The patterns give the floor of the client's side too:
 * each event's send stamp against the time its bytes were read (observation delay), and the gaps of
 * successive text events against the engine's (ITL error), and the time from a request's write to
 * its first text event's read (TTFT), as the bench defines them for inferscope's client. Closed
 * loop on keep-alive connections: each stream sends its next request as soon as its response's last
 * chunk arrived, until the level's time is up.
 */
final class TrivialClient {

  /**
   * The end of a chunked body, a zero-size chunk with no trailers, as the last 7 bytes read (SSE
   * data holds no CR). Each stream keeps its last 8 bytes in a long: one shift and three compares a
   * byte, the cheapest search there is.
   */
  private static final long LAST_CHUNK = tail("\r\n0\r\n\r\n");

  private static final long LAST_CHUNK_MASK = (1L << 56) - 1;

  /** The end of {@code "content":"} (and {@code "reasoning_content":"}): an event's text next. */
  private static final long CONTENT = tail("ntent\":\"");

  /** The end of {@code "x_inferscope_sent_ns":}, the simulator's send stamp: digits next. */
  private static final long STAMP = tail("ent_ns\":");

  private static final long SELECT_TIMEOUT_MILLIS = 100;

  /** Bound of each connection's set-up: an engine that accepts nothing fails the level. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Longest time with no byte from the engine while streams are open: then it has stalled. */
  static final Duration MAX_SILENCE = Duration.ofSeconds(30);

  /**
   * What one run did.
   *
   * @param responses responses read to their end
   * @param bytes bytes read
   * @param observationDelayNanos per stamped event, its read time − the engine's send stamp
   * @param itlErrorNanos per two successive text events of a response, |read-time gap − send-stamp
   *     gap|
   * @param ttftNanos per response with text, the read time of its first text event − the time just
   *     before its request was written
   */
  record Result(
      long responses,
      long bytes,
      Summary observationDelayNanos,
      Summary itlErrorNanos,
      Summary ttftNanos) {}

  /** One stream's place in the patterns, and its last text event. */
  private static final class Stream {
    long last8;
    boolean afterContent;
    boolean text;
    boolean inStamp;
    long sentNanos;
    long lastTextSentNanos = -1;
    long lastTextReadNanos;

    /** Just before the request's write, -1 once its response's first text was read. */
    long requestWrittenNanos = -1;
  }

  private TrivialClient() {}

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
    Summary.Values delays = new Summary.Values();
    Summary.Values errors = new Summary.Values();
    Summary.Values ttfts = new Summary.Values();
    List<SocketChannel> channels = new ArrayList<>(streams);
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < streams; i++) {
        SocketChannel ch = SocketChannel.open();
        channels.add(ch);
        ch.socket().connect(address, (int) CONNECT_TIMEOUT.toMillis());
        ch.configureBlocking(false);
        ch.socket().setTcpNoDelay(true);
        Stream stream = new Stream();
        ch.register(selector, SelectionKey.OP_READ, stream);
        send(ch, request, stream);
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
          Stream stream = (Stream) key.attachment();
          int n;
          while ((n = ch.read(in.clear())) > 0) {
            // Stamped as inferscope's reader stamps: when the read that brought the bytes returns.
            long readNanos = System.nanoTime();
            bytes += n;
            in.flip();
            for (int i = 0; i < n; i++) {
              byte b = in.get(i);
              stamps(stream, b, readNanos, delays, errors, ttfts); // shifts b into last8, then:
              if (advance(stream, b)) {
                responses++;
                if (System.nanoTime() - deadline < 0) {
                  send(ch, request, stream);
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
    return new Result(responses, bytes, delays.summary(), errors.summary(), ttfts.summary());
  }

  /** Feeds one byte to a stream's search for the last chunk; true when it just ended. */
  private static boolean advance(Stream s, byte b) {
    if ((s.last8 & LAST_CHUNK_MASK) == LAST_CHUNK) {
      s.lastTextSentNanos = -1; // the next response's gaps are its own
      return true;
    }
    return false;
  }

  /**
   * Feeds one byte, read at {@code readNanos}, to a stream's last 8 bytes and its search for text
   * and send stamps; at each stamp's end records its event's observation delay and, for a text
   * event after another of its response, the ITL error, for its response's first, the TTFT.
   */
  private static void stamps(
      Stream s,
      byte b,
      long readNanos,
      Summary.Values delays,
      Summary.Values errors,
      Summary.Values ttfts) {
    s.last8 = (s.last8 << 8) | (b & 0xFF);
    if (s.inStamp) {
      if (b >= '0' && b <= '9') {
        s.sentNanos = s.sentNanos * 10 + (b - '0');
        return;
      }
      s.inStamp = false;
      delays.add(readNanos - s.sentNanos);
      if (s.text) {
        if (s.requestWrittenNanos >= 0) {
          ttfts.add(readNanos - s.requestWrittenNanos);
          s.requestWrittenNanos = -1;
        }
        if (s.lastTextSentNanos >= 0) {
          errors.add(
              Math.abs((readNanos - s.lastTextReadNanos) - (s.sentNanos - s.lastTextSentNanos)));
        }
        s.lastTextSentNanos = s.sentNanos;
        s.lastTextReadNanos = readNanos;
      }
      s.text = false;
    }
    if (s.afterContent) {
      s.afterContent = false;
      s.text = b != '"';
    }
    if (s.last8 == CONTENT) {
      s.afterContent = true;
    } else if (s.last8 == STAMP) {
      s.inStamp = true;
      s.sentNanos = 0;
    }
  }

  /** The last 8 (or fewer) bytes of {@code ascii} as a stream's {@code last8} holds them. */
  private static long tail(String ascii) {
    long v = 0;
    for (byte c : ascii.getBytes(StandardCharsets.US_ASCII)) {
      v = (v << 8) | (c & 0xFF);
    }
    return v;
  }

  /**
   * Requests are small: the send buffer of an idle keep-alive connection takes one whole. The
   * stream's next response starts here, its TTFT from just before the write.
   */
  private static void send(SocketChannel ch, byte[] request, Stream s) throws IOException {
    s.requestWrittenNanos = System.nanoTime();
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
