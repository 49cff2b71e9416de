package io.inferscope.probe;

import io.inferscope.core.RunClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frames server-sent events out of lines (WHATWG SSE): {@code data:} with or without the space,
 * several data lines joined with {@code \n}, {@code event:}, {@code id:} and {@code retry:} (read
 * and ignored), comment lines, LF or CRLF endings, an event dispatched at its blank line, and a
 * last event without blank line dispatched at end of stream. Each event is stamped on the run clock
 * when the line that completes it has been read. An event's data lives in a buffer the reader
 * reuses: it is valid until the next call to {@link #next()}. Not thread-safe: one stream, one
 * reader.
 */
final class SseReader {
  private final LineSource lines;
  private final RunClock clock;
  private boolean firstLine = true;
  private boolean eof;

  /** Initial data buffer; a payload is a few hundred bytes. */
  private static final int INITIAL_DATA_BYTES = 1024;

  /** A buffer grown past this for one large event is let go after it. */
  private static final int KEEP_AT_MOST_BYTES = 64 * 1024;

  // The event being assembled.
  private String type;
  private byte[] data = new byte[INITIAL_DATA_BYTES];
  private int dataLength;
  private boolean hasData;
  private boolean comment;
  private boolean anyField;

  SseReader(LineSource lines, RunClock clock) {
    this.lines = lines;
    this.clock = clock;
  }

  /** The next event, or null at end of stream. Blocks on the line source. */
  SseEvent next() throws IOException {
    if (data.length > KEEP_AT_MOST_BYTES) {
      data = new byte[INITIAL_DATA_BYTES];
    }
    while (!eof) {
      int len = lines.readLine();
      if (len < 0) {
        eof = true;
        return anyField ? dispatch(clock.nowNanos()) : null;
      }
      byte[] line = lines.line();
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
        if (anyField) {
          return dispatch(clock.nowNanos());
        }
        continue;
      }
      field(line, start, len);
    }
    return null;
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
