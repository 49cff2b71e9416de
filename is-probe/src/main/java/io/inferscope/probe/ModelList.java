package io.inferscope.probe;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the model ids of a {@code GET /v1/models} answer: the {@code id}s of {@code data[]}, or
 * else the {@code name}s of {@code models[]} (Ollama's shape); every other member is checked as
 * JSON (RFC 8259) and skipped.
 *
 * <p>Not Jackson, because of when it runs: the model list is read on the main thread on the way to
 * a run's first request, and Jackson's first parser initialises {@code BigDecimal}, whose class
 * set-up on JDK 25 builds a table of {@code 5^(2^n)} up to {@code 5^65536} by squaring (about 20
 * ms, interpreted, on the 2-vCPU machine; docs/benchmarks.md, "Start-up time to first request").
 * Nothing else on that way parses JSON with Jackson unless {@code --extra-body} is given. Nor the
 * chunk reader ({@link FastChunkReader}): it reads the fields of one event shape on the token path
 * and leaves escaped strings to Jackson, where a model id must be decoded whole, whatever the
 * members around it.
 *
 * <p>The answer must be UTF-8 (a byte-order mark first is skipped, RFC 8259 section 8.1).
 */
final class ModelList {
  /** Bounds recursion so that a hostile answer cannot overflow the stack. */
  private static final int MAX_DEPTH = 256;

  /** The answer is not one JSON object. */
  static final class Malformed extends Exception {
    private Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final String text;
  private int pos;

  private ModelList(String text) {
    this.text = text;
  }

  /**
   * The ids listed by {@code body}, in its order; empty when it lists none.
   *
   * @throws Malformed when {@code body} is not one JSON object, alone but for white space
   */
  static List<String> ids(byte[] body) throws Malformed {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("not UTF-8");
    }
    ModelList r = new ModelList(text.startsWith("\uFEFF") ? text.substring(1) : text);
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    r.space();
    r.expect('{');
    r.space();
    if (!r.take('}')) {
      do {
        r.space();
        String member = r.string();
        r.space();
        r.expect(':');
        r.space();
        if (r.peek() == '[' && member.equals("data")) {
          r.fieldOfEach("id", ids);
        } else if (r.peek() == '[' && member.equals("models")) {
          r.fieldOfEach("name", names);
        } else {
          r.skipValue(1);
        }
        r.space();
      } while (r.take(','));
      r.expect('}');
    }
    r.space();
    if (r.pos != r.text.length()) {
      throw r.error("data after the JSON object");
    }
    return ids.isEmpty() ? names : ids;
  }

  /** An array of objects: adds each one's string member {@code field} to {@code out}. */
  private void fieldOfEach(String field, List<String> out) throws Malformed {
    expect('[');
    space();
    if (take(']')) {
      return;
    }
    do {
      space();
      if (peek() != '{') {
        skipValue(2);
        space();
        continue;
      }
      pos++;
      space();
      if (!take('}')) {
        do {
          space();
          String member = string();
          space();
          expect(':');
          space();
          if (peek() == '"' && member.equals(field)) {
            out.add(string());
          } else {
            skipValue(3);
          }
          space();
        } while (take(','));
        expect('}');
      }
      space();
    } while (take(','));
    expect(']');
  }

  private void skipValue(int depth) throws Malformed {
    if (depth > MAX_DEPTH) {
      throw error("nested too deeply");
    }
    int c = peek();
    switch (c) {
      case '{' -> {
        pos++;
        space();
        if (take('}')) {
          return;
        }
        do {
          space();
          string();
          space();
          expect(':');
          space();
          skipValue(depth + 1);
          space();
        } while (take(','));
        expect('}');
      }
      case '[' -> {
        pos++;
        space();
        if (take(']')) {
          return;
        }
        do {
          space();
          skipValue(depth + 1);
          space();
        } while (take(','));
        expect(']');
      }
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private String string() throws Malformed {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private char hex4() throws Malformed {
    if (pos + 4 > text.length()) {
      throw error("short \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      char c = text.charAt(pos++);
      int d =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw error("bad \\u escape");
      }
      v = v * 16 + d;
    }
    return (char) v;
  }

  private void number() throws Malformed {
    take('-');
    if (!take('0')) {
      digits();
    }
    if (take('.')) {
      digits();
    }
    if (take('e') || take('E')) {
      if (!take('+')) {
        take('-');
      }
      digits();
    }
  }

  private void digits() throws Malformed {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw error("expected a value");
    }
  }

  private void literal(String word) throws Malformed {
    if (!text.startsWith(word, pos)) {
      throw error("expected a value");
    }
    pos += word.length();
  }

  private void space() {
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

  private boolean take(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws Malformed {
    if (!take(c)) {
      throw error(pos >= text.length() ? "unexpected end" : "expected '" + c + "'");
    }
  }

  private Malformed error(String what) {
    return new Malformed(what + " at offset " + pos);
  }
}
