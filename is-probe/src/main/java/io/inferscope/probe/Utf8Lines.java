package io.inferscope.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A text file's lines, each decoded as UTF-8 on its own: a line that is not valid UTF-8 is that
 * line's problem (named by its number, skippable), not the whole file's.
 */
final class Utf8Lines {

  /** Takes one line. */
  interface LineHandler {
    /**
     * @param number the line's number, from 1
     * @param text the line without its end, or null when it is not valid UTF-8
     * @return false to stop reading
     */
    boolean line(long number, String text) throws IOException;
  }

  private Utf8Lines() {}

  static void read(Path file, LineHandler handler) throws IOException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      long number = 0;
      int b;
      boolean more = true;
      while (more) {
        b = in.read();
        if (b == '\n' || b < 0) {
          if (b < 0 && line.size() == 0) {
            break;
          }
          number++;
          byte[] bytes = line.toByteArray();
          int len = bytes.length;
          if (len > 0 && bytes[len - 1] == '\r') {
            len--;
          }
          String text;
          try {
            text = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, len)).toString();
            if (number == 1 && text.startsWith("\uFEFF")) {
              text = text.substring(1); // a byte-order mark is not content
            }
          } catch (CharacterCodingException e) {
            text = null;
          }
          more = handler.line(number, text) && b >= 0;
          line.reset();
        } else {
          line.write(b);
        }
      }
    }
  }
}
