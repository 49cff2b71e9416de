package io.inferscope.probe;

import java.io.IOException;

/**
 * Where the lines of a response body come from: the transport side of SSE reading, kept apart from
 * event framing and chunk parsing so another transport (an asynchronous one, a replay) can feed the
 * same reader.
 */
interface LineSource {
  /**
   * The next line without its {@code \n} (a trailing {@code \r} is left for the reader to drop),
   * blocking until one is complete; the unterminated rest at end of stream as a last line; null at
   * end of stream.
   */
  byte[] readLine() throws IOException;
}
