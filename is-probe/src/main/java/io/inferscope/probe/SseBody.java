package io.inferscope.probe;

import java.util.Arrays;

/**
 * Splits an event stream's body into lines as its bytes arrive and frames them into events ({@link
 * SseFramer}), handing each to a {@link Sink}. Bytes are pushed in whatever pieces the transport
 * read them in; a line may span pieces. Every event completed by one piece is stamped with that
 * piece's arrival time. Not thread-safe: one stream, one body.
 */
final class SseBody {
  /** Takes each event; false once it wants no more (the stream's {@code [DONE]}). */
  @FunctionalInterface
  interface Sink {
    boolean accept(SseEvent event);
  }

  /** Longest line accepted; longer means a broken or hostile stream, not a chunk. */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  /** Initial line buffer; lines are a few hundred bytes. */
  private static final int INITIAL_BYTES = 512;

  /** A buffer grown past this for one long line is let go after it. */
  private static final int KEEP_AT_MOST_BYTES = 64 * 1024;

  private final SseFramer framer = new SseFramer();
  private final Sink sink;
  private final int maxLineBytes;
  private byte[] line = new byte[INITIAL_BYTES];
  private int lineLength;
  private boolean stopped;

  SseBody(Sink sink) {
    this(sink, MAX_LINE_BYTES);
  }

  SseBody(Sink sink, int maxLineBytes) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Takes {@code length} bytes of {@code bytes} from {@code offset}, which arrived at {@code
   * atNanos}. Returns false once the sink wanted no more: the rest is not read.
   *
   * @throws LineTooLongException when a line grows past the limit
   */
  boolean feed(byte[] bytes, int offset, int length, long atNanos) {
    if (stopped) {
      return false;
    }
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int nl = indexOfLf(bytes, i, end);
      int segmentEnd = nl < 0 ? end : nl;
      append(bytes, i, segmentEnd - i);
      if (nl < 0) {
        return true;
      }
      i = nl + 1;
      SseEvent ev = framer.line(line, lineLength, atNanos);
      lineLength = 0;
      if (line.length > KEEP_AT_MOST_BYTES) {
        line = new byte[INITIAL_BYTES];
      }
      if (ev != null && !sink.accept(ev)) {
        stopped = true;
        return false;
      }
    }
    return true;
  }

  /** The body ended at {@code atNanos}: a last line and event without their ends still count. */
  void end(long atNanos) {
    if (stopped) {
      return;
    }
    if (lineLength > 0) {
      SseEvent ev = framer.line(line, lineLength, atNanos);
      lineLength = 0;
      if (ev != null && !sink.accept(ev)) {
        stopped = true;
        return;
      }
    }
    SseEvent last = framer.end(atNanos);
    if (last != null) {
      stopped = !sink.accept(last);
    }
  }

  /** Whether the sink wanted no more. */
  boolean stopped() {
    return stopped;
  }

  private static int indexOfLf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void append(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return;
    }
    int need = lineLength + length;
    if (need > maxLineBytes) {
      throw new LineTooLongException(maxLineBytes);
    }
    if (need > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(need, line.length * 2)));
    }
    System.arraycopy(bytes, offset, line, lineLength, length);
    lineLength = need;
  }

  /** A line longer than the limit: the stream is not SSE. */
  static final class LineTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LineTooLongException(long limit) {
      super("a line of the stream exceeds " + limit + " bytes", null, false, false);
    }
  }
}
