package io.inferscope.sim;

/** Appends JSON string literals to a builder without intermediate strings. */
final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code value} as a quoted JSON string. */
  static StringBuilder appendQuoted(StringBuilder sb, CharSequence value) {
    sb.append('"');
    appendEscaped(sb, value);
    return sb.append('"');
  }

  /**
   * Appends the escaped characters of {@code value}, without quotes. Lone surrogates are escaped
   * too, so that the output always encodes to valid UTF-8.
   */
  static StringBuilder appendEscaped(StringBuilder sb, CharSequence value) {
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < length
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            sb.append(c).append(value.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            appendUnicodeEscape(sb, c);
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb;
  }

  private static void appendUnicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
