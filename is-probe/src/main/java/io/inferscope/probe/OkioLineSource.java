package io.inferscope.probe;

import java.io.IOException;
import okio.BufferedSource;

/** Lines of an okio source (an OkHttp response body), read with blocking reads. */
final class OkioLineSource implements LineSource {
  /** Longest line accepted; longer means a broken or hostile stream, not a chunk. */
  static final long MAX_LINE_BYTES = 16L * 1024 * 1024;

  private final BufferedSource source;
  private final long maxLineBytes;

  OkioLineSource(BufferedSource source) {
    this(source, MAX_LINE_BYTES);
  }

  OkioLineSource(BufferedSource source, long maxLineBytes) {
    this.source = source;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public byte[] readLine() throws IOException {
    long nl = source.indexOf((byte) '\n', 0, maxLineBytes);
    if (nl >= 0) {
      byte[] line = source.readByteArray(nl);
      source.skip(1);
      return line;
    }
    long buffered = source.getBuffer().size();
    if (buffered >= maxLineBytes) {
      throw new LineTooLongException(maxLineBytes);
    }
    // indexOf stopped short of the limit: the stream is exhausted.
    return buffered == 0 ? null : source.readByteArray();
  }

  /** A line longer than the limit: the stream is not SSE. */
  static final class LineTooLongException extends IOException {
    LineTooLongException(long limit) {
      super("a line of the stream exceeds " + limit + " bytes");
    }
  }
}
