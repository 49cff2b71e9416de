package io.inferscope.probe;

import java.io.IOException;
import okio.BufferedSource;

/** Lines of an okio source (an OkHttp response body), read with blocking reads. */
final class OkioLineSource implements LineSource {
  /** Longest line accepted; longer means a broken or hostile stream, not a chunk. */
  static final long MAX_LINE_BYTES = 16L * 1024 * 1024;

  /** Initial line buffer; lines are a few hundred bytes. */
  private static final int INITIAL_BYTES = 1024;

  /** A buffer grown past this for one long line is let go after it. */
  private static final int KEEP_AT_MOST_BYTES = 64 * 1024;

  private final BufferedSource source;
  private final long maxLineBytes;
  private byte[] line = new byte[INITIAL_BYTES];

  OkioLineSource(BufferedSource source) {
    this(source, MAX_LINE_BYTES);
  }

  OkioLineSource(BufferedSource source, long maxLineBytes) {
    this.source = source;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public int readLine() throws IOException {
    if (line.length > KEEP_AT_MOST_BYTES) {
      line = new byte[INITIAL_BYTES];
    }
    long nl = source.indexOf((byte) '\n', 0, maxLineBytes);
    if (nl >= 0) {
      int length = (int) nl;
      fill(length);
      source.skip(1);
      return length;
    }
    long buffered = source.getBuffer().size();
    if (buffered >= maxLineBytes) {
      throw new LineTooLongException(maxLineBytes);
    }
    // indexOf stopped short of the limit: the stream is exhausted.
    if (buffered == 0) {
      return -1;
    }
    fill((int) buffered);
    return (int) buffered;
  }

  @Override
  public byte[] line() {
    return line;
  }

  /** Moves {@code length} bytes, already buffered, into the line buffer. */
  private void fill(int length) throws IOException {
    if (line.length < length) {
      line = new byte[Math.max(length, line.length * 2)];
    }
    okio.Buffer buffered = source.getBuffer();
    int done = 0;
    while (done < length) {
      int n = buffered.read(line, done, length - done);
      if (n < 0) {
        throw new java.io.EOFException("line shorter than buffered");
      }
      done += n;
    }
  }

  /** A line longer than the limit: the stream is not SSE. */
  static final class LineTooLongException extends IOException {
    LineTooLongException(long limit) {
      super("a line of the stream exceeds " + limit + " bytes");
    }
  }
}
