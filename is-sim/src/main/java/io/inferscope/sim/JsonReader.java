package io.inferscope.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader. Objects become {@link LinkedHashMap}s, arrays {@link ArrayList}s,
 * integers {@link Long}s (or {@link Double}s when they do not fit), other numbers {@link Double}s,
 * and JSON null Java null.
 */
final class JsonReader {

  /** Bounds recursion so that a hostile body cannot overflow the stack. */
  private static final int MAX_DEPTH = 256;

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /** Parses a whole document: one value, surrounded only by whitespace. */
  static Object parse(String text) throws JsonException {
    JsonReader reader = new JsonReader(text);
    reader.skipWhitespace();
    Object value = reader.readValue(0);
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("unexpected data after the JSON value");
    }
    return value;
  }

  private Object readValue(int depth) throws JsonException {
    int c = peek();
    return switch (c) {
      case '{' -> readObject(depth + 1);
      case '[' -> readArray(depth + 1);
      case '"' -> readString();
      case 't' -> readLiteral("true", Boolean.TRUE);
      case 'f' -> readLiteral("false", Boolean.FALSE);
      case 'n' -> readLiteral("null", null);
      case -1 -> throw error("unexpected end of input");
      default -> {
        if (c == '-' || isDigit(c)) {
          yield readNumber();
        }
        throw error("unexpected character '" + (char) c + "'");
      }
    };
  }

  private Map<String, Object> readObject(int depth) throws JsonException {
    checkDepth(depth);
    pos++;
    Map<String, Object> object = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return object;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      String key = readString();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      object.put(key, readValue(depth));
      skipWhitespace();
      int c = next();
      if (c == '}') {
        return object;
      }
      if (c != ',') {
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private List<Object> readArray(int depth) throws JsonException {
    checkDepth(depth);
    pos++;
    List<Object> array = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return array;
    }
    while (true) {
      skipWhitespace();
      array.add(readValue(depth));
      skipWhitespace();
      int c = next();
      if (c == ']') {
        return array;
      }
      if (c != ',') {
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private String readString() throws JsonException {
    pos++;
    int start = pos;
    // Most strings have no escapes: take them as one substring.
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        return text.substring(start, pos++);
      }
      if (c == '\\' || c < 0x20) {
        break;
      }
      pos++;
    }
    StringBuilder sb = new StringBuilder(pos - start + 16).append(text, start, pos);
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("unescaped control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      int e = next();
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(readHex4());
        default -> {
          pos--;
          throw error("invalid escape in a string");
        }
      }
    }
  }

  private char readHex4() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos), 16);
      if (digit < 0) {
        throw error("invalid hex digit in a \\u escape");
      }
      value = value * 16 + digit;
      pos++;
    }
    return (char) value;
  }

  private Object readNumber() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      digits();
      integral = false;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
      integral = false;
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException tooLarge) {
        return Double.parseDouble(literal);
      }
    }
    return Double.parseDouble(literal);
  }

  private void digits() throws JsonException {
    if (!isDigit(peek())) {
      throw error("expected a digit");
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private Object readLiteral(String literal, Object value) throws JsonException {
    if (!text.startsWith(literal, pos)) {
      throw error("invalid literal");
    }
    pos += literal.length();
    return value;
  }

  private void checkDepth(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  private void expect(char c) throws JsonException {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private int peek() {
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  private int next() {
    return pos < text.length() ? text.charAt(pos++) : -1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private JsonException error(String message) {
    return new JsonException(message, pos);
  }
}
