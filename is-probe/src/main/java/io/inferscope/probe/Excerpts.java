package io.inferscope.probe;

import java.nio.charset.StandardCharsets;

/** One-line excerpts of server bytes, for failure details a person reads. */
final class Excerpts {
  /** Longest excerpt kept, in UTF-16 chars, before the ellipsis. */
  static final int MAX_CHARS = 200;

  private Excerpts() {}

  /** The bytes decoded as UTF-8 (bad sequences replaced), then {@link #oneLine(String, int)}. */
  static String oneLine(byte[] bytes, int offset, int length, int maxChars) {
    return oneLine(new String(bytes, offset, length, StandardCharsets.UTF_8), maxChars);
  }

  /**
   * Collapses every run of whitespace (line breaks included) into one space, trims, and cuts to at
   * most {@code maxChars} chars on a code-point boundary, appending "…" when cut. A surrogate pair
   * is never split: a cut that would fall inside one moves before it.
   */
  static String oneLine(String text, int maxChars) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), maxChars + 1));
    boolean pendingSpace = false;
    boolean cut = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      i += n;
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
        pendingSpace = sb.length() > 0;
        continue;
      }
      int need = n + (pendingSpace ? 1 : 0);
      if (sb.length() + need > maxChars) {
        cut = true;
        break;
      }
      if (pendingSpace) {
        sb.append(' ');
        pendingSpace = false;
      }
      sb.appendCodePoint(cp);
    }
    if (cut) {
      sb.append('…');
    }
    return sb.toString();
  }
}
