package io.inferscope.probe;

import java.io.IOException;

/**
 * Where the lines of a response body come from: the transport side of SSE reading, kept apart from
 * event framing and chunk parsing so another transport (an asynchronous one, a replay) can feed the
 * same reader.
 */
interface LineSource {
  /**
   * Reads the next line without its {@code \n} (a trailing {@code \r} is left for the reader to
   * drop) into {@link #line()}, blocking until one is complete; the unterminated rest at end of
   * stream is a last line. Returns the line's length, or -1 at end of stream.
   */
  int readLine() throws IOException;

  /**
   * The bytes of the line last read, from index 0. A buffer the source reuses: valid until the next
   * {@link #readLine()}, so that reading a stream allocates nothing per line.
   */
  byte[] line();
}
