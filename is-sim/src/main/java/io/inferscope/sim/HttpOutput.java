package io.inferscope.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes HTTP/1.1 responses to one connection. Each server-sent event goes out as exactly one chunk
 * in one socket write, encoded into a buffer the connection reuses, so that streaming allocates
 * nothing per event and every event leaves the process as soon as it is written.
 */
final class HttpOutput {

  /** Room kept in front of each event for its chunk-size line: up to 8 hex digits and CRLF. */
  private static final int CHUNK_HEAD_ROOM = 10;

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String STAMP_FIELD = ",\"x_inferscope_sent_ns\":";

  private final OutputStream out;
  private byte[] buf = new byte[4096];
  private int len;

  /** Whether the response being streamed frames its body in chunks (not for HTTP/1.0). */
  private boolean chunked;

  /** {@code out} should be unbuffered: every write here is meant to reach the socket at once. */
  HttpOutput(OutputStream out) {
    this.out = out;
  }

  /** The interim response to {@code Expect: 100-continue}. */
  void sendContinue() throws IOException {
    len = 0;
    ascii("HTTP/1.1 100 Continue\r\n\r\n");
    flush(0);
  }

  /** A complete response with a body. */
  void fixed(int status, String contentType, CharSequence body, boolean close) throws IOException {
    fixed(status, contentType, body, close, "");
  }

  /** A complete response with a body; {@code extraHeaders} are whole CRLF-ended header lines. */
  void fixed(int status, String contentType, CharSequence body, boolean close, String extraHeaders)
      throws IOException {
    fixedHead(status, contentType, utf8Length(body), close, extraHeaders);
    utf8(body, 0, body.length());
    flush(0);
  }

  /**
   * The head of a response promising {@code body}, and only its first half: the client sees the
   * connection end before the body does.
   */
  void fixedTruncated(int status, String contentType, CharSequence body) throws IOException {
    fixedHead(status, contentType, utf8Length(body), true, "");
    utf8(body, 0, body.length() / 2);
    flush(0);
  }

  /** The head of a server-sent event stream; chunked unless the client spoke HTTP/1.0. */
  void beginEventStream(boolean chunked, boolean close) throws IOException {
    this.chunked = chunked;
    len = 0;
    statusLine(200);
    ascii(
        "Content-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n");
    ascii(chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n");
    if (close && chunked) {
      ascii("Connection: close\r\n");
    }
    ascii("\r\n");
    flush(0);
  }

  /**
   * One event, {@code data: <json>} and a blank line. With {@code stamp}, the field {@code
   * x_inferscope_sent_ns} is added to the object from {@link System#nanoTime()} read just before
   * the write.
   *
   * @return that {@link System#nanoTime()} with {@code stamp}, else -1 (no clock read on the way)
   */
  long event(CharSequence json, boolean stamp) throws IOException {
    beginChunk();
    ascii("data: ");
    long sentNanos;
    if (stamp) {
      utf8(json, 0, json.length() - 1); // all but the closing brace
      ascii(STAMP_FIELD);
      sentNanos = System.nanoTime();
      decimal(sentNanos);
      ascii("}\n\n");
    } else {
      utf8(json, 0, json.length());
      ascii("\n\n");
      sentNanos = -1;
    }
    endChunk(false);
    return sentNanos;
  }

  /** The {@code data: [DONE]} event and the end of the body. */
  void endEventStream() throws IOException {
    beginChunk();
    ascii("data: [DONE]\n\n");
    endChunk(true);
  }

  /** Ends the body with no further event. */
  void endEventStreamWithoutDone() throws IOException {
    if (chunked) {
      len = 0;
      ascii("0\r\n\r\n");
      flush(0);
    }
  }

  private void fixedHead(
      int status, String contentType, int contentLength, boolean close, String extraHeaders) {
    len = 0;
    statusLine(status);
    ascii("Content-Type: ");
    ascii(contentType);
    ascii("\r\nContent-Length: ");
    decimal(contentLength);
    ascii(close ? "\r\nConnection: close\r\n" : "\r\n");
    ascii(extraHeaders);
    ascii("\r\n");
  }

  private void statusLine(int status) {
    ascii("HTTP/1.1 ");
    decimal(status);
    ascii(" ");
    ascii(reason(status));
    ascii("\r\nServer: inferscope-sim\r\n");
  }

  private void beginChunk() {
    len = chunked ? CHUNK_HEAD_ROOM : 0;
  }

  /** Frames the payload after the reserved room as one chunk and writes it. */
  private void endChunk(boolean last) throws IOException {
    if (!chunked) {
      flush(0);
      return;
    }
    int payload = len - CHUNK_HEAD_ROOM;
    int start = CHUNK_HEAD_ROOM - 2;
    buf[start] = '\r';
    buf[start + 1] = '\n';
    do {
      buf[--start] = HEX_DIGITS[payload & 0xF];
      payload >>>= 4;
    } while (payload != 0);
    ascii(last ? "\r\n0\r\n\r\n" : "\r\n");
    flush(start);
  }

  private void flush(int start) throws IOException {
    out.write(buf, start, len - start);
    out.flush();
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void decimal(long value) {
    ensure(20);
    if (value < 0) {
      buf[len++] = '-';
      if (value == Long.MIN_VALUE) {
        ascii("9223372036854775808");
        return;
      }
      value = -value;
    }
    int end = len + digitCount(value);
    int at = end;
    do {
      buf[--at] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    len = end;
  }

  private static int digitCount(long value) {
    int digits = 1;
    while (value >= 10) {
      value /= 10;
      digits++;
    }
    return digits;
  }

  /** Encodes chars {@code from..to} as UTF-8; surrogate pairs become one 4-byte sequence. */
  private void utf8(CharSequence s, int from, int to) {
    ensure((to - from) * 3);
    byte[] b = buf;
    int at = len;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | c >> 6);
        b[at++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[at++] = (byte) (0xF0 | cp >> 18);
        b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[at++] = (byte) (0x80 | cp & 0x3F);
      } else if (Character.isSurrogate(c)) {
        b[at++] = '?'; // a lone surrogate has no UTF-8 form
      } else {
        b[at++] = (byte) (0xE0 | c >> 12);
        b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[at++] = (byte) (0x80 | c & 0x3F);
      }
    }
    len = at;
  }

  private static int utf8Length(CharSequence s) {
    int bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra + 64));
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
