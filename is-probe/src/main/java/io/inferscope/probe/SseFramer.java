package io.inferscope.probe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frames server-sent events out of lines (WHATWG SSE): {@code data:} with or without the space,
 * several data lines joined with {@code \n}, {@code event:}, {@code id:} and {@code retry:} (read
 * and ignored), comment lines, LF or CRLF endings, an event dispatched at its blank line, and a
 * last event without blank line dispatched at end of stream. Lines are pushed in as they arrive, so
 * the same framing serves a blocking reader and an event loop. An event's data lives in a buffer
 * the framer reuses: it is valid until the next line is pushed. Not thread-safe: one stream, one
 * framer.
 */
final class SseFramer {
  /** Initial data buffer; a payload is a few hundred bytes. */
  private static final int INITIAL_DATA_BYTES = 1024;

  /** A buffer grown past this for one large event is let go after it. */
  private static final int KEEP_AT_MOST_BYTES = 64 * 1024;

  private boolean firstLine = true;

  // The event being assembled.
  private String type;
  private byte[] data = new byte[INITIAL_DATA_BYTES];
  private int dataLength;
  private boolean hasData;
  private boolean comment;
  private boolean anyField;

  /**
   * Takes one line without its LF ({@code len} bytes of {@code line}; a trailing CR is dropped
   * here). Returns the event this line completes, stamped {@code atNanos}, or null.
   */
  SseEvent line(byte[] line, int len, long atNanos) {
    if (!anyField && data.length > KEEP_AT_MOST_BYTES) {
      data = new byte[INITIAL_DATA_BYTES];
    }
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    int start = 0;
    if (firstLine) {
      firstLine = false;
      // A UTF-8 byte-order mark may open the stream; it is not part of the first field.
      if (len >= 3
          && (line[0] & 0xff) == 0xef
          && (line[1] & 0xff) == 0xbb
          && (line[2] & 0xff) == 0xbf) {
        start = 3;
      }
    }
    if (len == start) {
      return anyField ? dispatch(atNanos) : null;
    }
    field(line, start, len);
    return null;
  }

  /** At end of stream: the last event when it had no blank line after it, or null. */
  SseEvent end(long atNanos) {
    return anyField ? dispatch(atNanos) : null;
  }

  private void field(byte[] line, int start, int end) {
    anyField = true;
    if (line[start] == ':') {
      comment = true;
      return;
    }
    int colon = start;
    while (colon < end && line[colon] != ':') {
      colon++;
    }
    int valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && line[valueStart] == ' ') {
      valueStart++;
    }
    int nameLength = colon - start;
    if (is(line, start, nameLength, "data")) {
      appendData(line, valueStart, end - valueStart);
    } else if (is(line, start, nameLength, "event")) {
      type = new String(line, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
    // id and retry steer reconnection, which a load client never does; other fields are ignored
    // as the specification says.
  }

  private static boolean is(byte[] line, int start, int length, String name) {
    if (length != name.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (line[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void appendData(byte[] line, int offset, int length) {
    // Copied out of the line buffer, which the next line overwrites; one copy, no allocation.
    int at = hasData ? dataLength + 1 : 0;
    int need = at + length;
    if (need > data.length) {
      data = Arrays.copyOf(data, Math.max(need, data.length * 2));
    }
    if (hasData) {
      data[dataLength] = '\n';
    }
    System.arraycopy(line, offset, data, at, length);
    dataLength = need;
    hasData = true;
  }

  private SseEvent dispatch(long atNanos) {
    SseEvent ev = new SseEvent(atNanos, type, hasData ? data : null, 0, dataLength, comment);
    type = null;
    dataLength = 0;
    hasData = false;
    comment = false;
    anyField = false;
    return ev;
  }
}
