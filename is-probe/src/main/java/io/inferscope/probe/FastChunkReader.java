package io.inferscope.probe;

import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;
import java.nio.charset.StandardCharsets;

/**
 * Reads the chunk shapes {@link ChunkParser} knows straight from the payload bytes, allocating
 * nothing but the result: a general-purpose parser costs about a kilobyte of garbage per chunk,
 * which at tens of thousands of chunks a second is what makes the client's garbage collector pause
 * (docs/benchmarks.md). It validates the whole payload as strictly as the general parser does; on
 * anything it does not handle itself (invalid JSON, escapes in a string it must decode, a name with
 * an escape, very long numbers, deep nesting, a root that is not an object) it gives up, and the
 * general parser reads the payload instead, so every diagnostic and every unusual payload reads as
 * before. Not thread-safe: one instance per parse.
 */
final class FastChunkReader extends ChunkFields {

  /** Thrown to hand the payload to the general parser; carries no stack trace. */
  static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  static final GiveUp GIVE_UP = new GiveUp();

  /** Deeper nesting than any chunk shape has is left to the general parser and its limits. */
  private static final int MAX_DEPTH = 64;

  /** Longer names are left to the general parser and its limits. */
  private static final int MAX_NAME_BYTES = 256;

  /** Longest integer converted here: it always fits a long. */
  private static final int MAX_INTEGER_CHARS = 18;

  /** Longest number skipped or read as a double; the general parser's own limit is beyond. */
  private static final int MAX_NUMBER_CHARS = 100;

  private final byte[] b;
  private final int end;
  private int pos;
  private int depth;

  /** The bytes of the member name last read by {@link #member()}. */
  private int nameFrom;

  private int nameTo;

  FastChunkReader(byte[] bytes, int offset, int length) {
    this.b = bytes;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Reads the whole payload, or throws {@link #GIVE_UP}. */
  void read() {
    skipWs();
    if (pos >= end || b[pos] != '{') {
      throw GIVE_UP;
    }
    pos++;
    depth++;
    if (!first('}')) {
      finishRoot();
      return;
    }
    do {
      member();
      if (name("choices")) {
        choices();
      } else if (name("usage")) {
        if (peek() == '{') {
          usage = usage();
        } else {
          skipValue();
          usage = null;
        }
      } else if (name("timings")) {
        if (peek() == '{') {
          timings = timings();
        } else {
          skipValue();
          timings = null;
        }
      } else if (name("error")) {
        error = error();
      } else if (name("object")) {
        if (peek() == '"') {
          objectIsError = "error".equals(string());
        } else {
          skipValue();
          objectIsError = false;
        }
      } else if (name("message")) {
        topMessage = peek() == '"' ? string() : skipNull();
      } else if (name("x_inferscope_sent_ns")) {
        if (isIntegerAhead()) {
          sentNanos = longValue();
        } else {
          skipValue();
          sentNanos = null;
        }
      } else {
        skipValue();
      }
    } while (next('}'));
    finishRoot();
  }

  // ---- the shapes

  private void choices() {
    if (peek() != '[') {
      skipValue();
      return;
    }
    hasChoices = true;
    pos++;
    depth++;
    if (!first(']')) {
      return;
    }
    do {
      skipWs();
      if (peek() == '{') {
        choice();
      } else {
        skipValue();
      }
    } while (next(']'));
  }

  private void choice() {
    pos++;
    depth++;
    if (!first('}')) {
      return;
    }
    do {
      member();
      if (name("delta") || name("message")) {
        if (peek() == '{') {
          delta();
        } else {
          skipValue();
        }
      } else if (name("text")) {
        contentChars += stringLength();
      } else if (name("finish_reason")) {
        if (peek() == '"') {
          finishReason = string();
        } else {
          skipValue();
        }
      } else {
        skipValue();
      }
    } while (next('}'));
  }

  private void delta() {
    pos++;
    depth++;
    if (!first('}')) {
      return;
    }
    do {
      member();
      if (name("content")) {
        contentChars += stringLength();
      } else if (name("reasoning_content") || name("reasoning")) {
        reasoningChars += stringLength();
      } else if (name("role")) {
        if (peek() == '"') {
          role = true;
        }
        skipValue();
      } else {
        skipValue();
      }
    } while (next('}'));
  }

  private Usage usage() {
    Integer prompt = null;
    Integer completion = null;
    Integer total = null;
    Integer reasoning = null;
    Integer cached = null;
    pos++;
    depth++;
    if (first('}')) {
      do {
        member();
        if (name("prompt_tokens")) {
          prompt = intOrNull();
        } else if (name("completion_tokens")) {
          completion = intOrNull();
        } else if (name("total_tokens")) {
          total = intOrNull();
        } else if (name("completion_tokens_details")) {
          Integer r = nestedInt("reasoning_tokens");
          if (r != null) {
            reasoning = r;
          }
        } else if (name("prompt_tokens_details")) {
          Integer c = nestedInt("cached_tokens");
          if (c != null) {
            cached = c;
          }
        } else {
          skipValue();
        }
      } while (next('}'));
    }
    return new Usage(prompt, completion, total, reasoning, cached);
  }

  private ServerTimings timings() {
    Integer promptN = null;
    Double promptMs = null;
    Integer predictedN = null;
    Double predictedMs = null;
    Integer cacheN = null;
    Double perSecond = null;
    pos++;
    depth++;
    if (first('}')) {
      do {
        member();
        if (name("prompt_n")) {
          promptN = intOrNull();
        } else if (name("prompt_ms")) {
          promptMs = doubleOrNull();
        } else if (name("predicted_n")) {
          predictedN = intOrNull();
        } else if (name("predicted_ms")) {
          predictedMs = doubleOrNull();
        } else if (name("cache_n")) {
          cacheN = intOrNull();
        } else if (name("predicted_per_second")) {
          perSecond = doubleOrNull();
        } else {
          skipValue();
        }
      } while (next('}'));
    }
    return new ServerTimings(promptN, promptMs, predictedN, predictedMs, cacheN, perSecond);
  }

  private String error() {
    if (peek() == '"') {
      return string();
    }
    if (peek() != '{') {
      skipValue();
      return null;
    }
    String message = null;
    String type = null;
    pos++;
    depth++;
    if (first('}')) {
      do {
        member();
        if (peek() == '"' && name("message")) {
          message = string();
        } else if (peek() == '"' && name("type")) {
          type = string();
        } else {
          skipValue();
        }
      } while (next('}'));
    }
    if (message != null) {
      return message;
    }
    return type != null ? type : "error object without a message";
  }

  private Integer nestedInt(String field) {
    if (peek() != '{') {
      skipValue();
      return null;
    }
    Integer result = null;
    pos++;
    depth++;
    if (first('}')) {
      do {
        member();
        if (name(field)) {
          result = intOrNull();
        } else {
          skipValue();
        }
      } while (next('}'));
    }
    return result;
  }

  // ---- values

  private Integer intOrNull() {
    byte c = peek();
    if (c != '-' && (c < '0' || c > '9')) {
      skipValue();
      return null;
    }
    int start = pos;
    boolean integer = number();
    if (integer) {
      long v = parseLong(start, pos);
      // parseLong gives up beyond 18 characters, so v is exact here.
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw GIVE_UP; // the general parser decides what an out-of-range count means
      }
      return (int) v;
    }
    return (int) parseDouble(start, pos);
  }

  private Double doubleOrNull() {
    byte c = peek();
    if (c != '-' && (c < '0' || c > '9')) {
      skipValue();
      return null;
    }
    int start = pos;
    number();
    return parseDouble(start, pos);
  }

  private boolean isIntegerAhead() {
    byte c = peek();
    if (c != '-' && (c < '0' || c > '9')) {
      return false;
    }
    int save = pos;
    boolean integer = number();
    pos = save;
    return integer;
  }

  private long longValue() {
    int start = pos;
    number();
    return parseLong(start, pos);
  }

  private String skipNull() {
    skipValue();
    return null;
  }

  private long parseLong(int start, int stop) {
    if (stop - start > MAX_INTEGER_CHARS) {
      throw GIVE_UP;
    }
    int i = start;
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    long v = 0;
    for (; i < stop; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return negative ? -v : v;
  }

  private double parseDouble(int start, int stop) {
    // Only counts and timings are read as numbers, a few per stream: a String here is cheap.
    return Double.parseDouble(new String(b, start, stop - start, StandardCharsets.US_ASCII));
  }

  /**
   * Consumes a JSON number; returns whether it was an integer (no fraction, no exponent). Gives up
   * on numbers longer than {@value #MAX_NUMBER_CHARS} characters.
   */
  private boolean number() {
    int start = pos;
    if (pos < end && b[pos] == '-') {
      pos++;
    }
    if (pos >= end) {
      throw GIVE_UP;
    }
    if (b[pos] == '0') {
      pos++;
    } else if (b[pos] >= '1' && b[pos] <= '9') {
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        pos++;
      }
    } else {
      throw GIVE_UP;
    }
    boolean integer = true;
    if (pos < end && b[pos] == '.') {
      integer = false;
      pos++;
      digits();
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      integer = false;
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      digits();
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      throw GIVE_UP;
    }
    return integer;
  }

  private void digits() {
    int start = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    if (pos == start) {
      throw GIVE_UP;
    }
  }

  /**
   * Consumes a string value and returns its UTF-16 length; 0 for any other value (skipped), as the
   * general parser counts.
   */
  private int stringLength() {
    if (peek() != '"') {
      skipValue();
      return 0;
    }
    pos++;
    int chars = 0;
    while (true) {
      if (pos >= end) {
        throw GIVE_UP;
      }
      int c = b[pos] & 0xff;
      if (c == '"') {
        pos++;
        return chars;
      }
      if (c == '\\') {
        escape();
        chars++;
      } else if (c < 0x20) {
        throw GIVE_UP; // an unescaped control character is invalid JSON
      } else if (c < 0x80) {
        pos++;
        chars++;
      } else {
        chars += utf8Sequence(c);
      }
    }
  }

  /** Consumes a string without escapes and returns it; gives up on escapes (rare, general path). */
  private String string() {
    pos++;
    int start = pos;
    while (true) {
      if (pos >= end) {
        throw GIVE_UP;
      }
      int c = b[pos] & 0xff;
      if (c == '"') {
        String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
      }
      if (c == '\\' || c < 0x20) {
        throw GIVE_UP;
      }
      if (c < 0x80) {
        pos++;
      } else {
        utf8Sequence(c);
      }
    }
  }

  /** Consumes one escape sequence after its backslash. */
  private void escape() {
    pos++;
    if (pos >= end) {
      throw GIVE_UP;
    }
    switch (b[pos]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> pos++;
      case 'u' -> {
        if (pos + 4 >= end) {
          throw GIVE_UP;
        }
        for (int i = 1; i <= 4; i++) {
          byte h = b[pos + i];
          boolean hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
          if (!hex) {
            throw GIVE_UP;
          }
        }
        pos += 5;
      }
      default -> throw GIVE_UP;
    }
  }

  /**
   * Consumes one well-formed multi-byte UTF-8 sequence starting with {@code lead}; returns its
   * UTF-16 length (2 for a supplementary character). Anything malformed gives up.
   */
  private int utf8Sequence(int lead) {
    int extra;
    int units;
    if (lead >= 0xc2 && lead <= 0xdf) {
      extra = 1;
      units = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      extra = 2;
      units = 1;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      extra = 3;
      units = 2;
    } else {
      throw GIVE_UP;
    }
    if (pos + extra >= end) {
      throw GIVE_UP;
    }
    for (int i = 1; i <= extra; i++) {
      if ((b[pos + i] & 0xc0) != 0x80) {
        throw GIVE_UP;
      }
    }
    pos += extra + 1;
    return units;
  }

  /** Skips any value, iteratively for containers. */
  private void skipValue() {
    skipWs();
    if (pos >= end) {
      throw GIVE_UP;
    }
    switch (b[pos]) {
      case '"' -> stringLength();
      case '{' -> {
        pos++;
        depth++;
        if (first('}')) {
          do {
            member();
            skipValue();
          } while (next('}'));
        }
      }
      case '[' -> {
        pos++;
        depth++;
        if (first(']')) {
          do {
            skipValue();
          } while (next(']'));
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void literal(String word) {
    int n = word.length();
    if (pos + n > end) {
      throw GIVE_UP;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != word.charAt(i)) {
        throw GIVE_UP;
      }
    }
    pos += n;
  }

  // ---- structure

  /**
   * After an opening '{' or '[': true when a member or element follows, false at {@code close}
   * (consumed).
   */
  private boolean first(char close) {
    if (depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    skipWs();
    if (pos < end && b[pos] == close) {
      pos++;
      depth--;
      return false;
    }
    return true;
  }

  /** After a member's or element's value: true at ',' (consumed), false at {@code close}. */
  private boolean next(char close) {
    skipWs();
    if (pos >= end) {
      throw GIVE_UP;
    }
    if (b[pos] == ',') {
      pos++;
      return true;
    }
    if (b[pos] == close) {
      pos++;
      depth--;
      return false;
    }
    throw GIVE_UP;
  }

  /** Reads a member's name and colon, leaving the cursor at its value. */
  private void member() {
    nameFrom = nameStart();
    nameTo = nameEnd();
    colon();
    skipWs();
  }

  /** Whether the member last read by {@link #member()} is {@code name}. */
  private boolean name(String name) {
    return is(nameFrom, nameTo, name);
  }

  /** Consumes a member name's opening quote; returns where its bytes start. */
  private int nameStart() {
    skipWs();
    if (pos >= end || b[pos] != '"') {
      throw GIVE_UP;
    }
    return ++pos;
  }

  /** Consumes the name's bytes and closing quote; returns where the bytes end. */
  private int nameEnd() {
    int start = pos;
    while (true) {
      if (pos - start > MAX_NAME_BYTES) {
        throw GIVE_UP;
      }
      if (pos >= end) {
        throw GIVE_UP;
      }
      int c = b[pos] & 0xff;
      if (c == '"') {
        return pos++;
      }
      if (c == '\\' || c < 0x20) {
        throw GIVE_UP; // an escaped name is legal but never seen: the general parser decodes it
      }
      if (c < 0x80) {
        pos++;
      } else {
        utf8Sequence(c);
      }
    }
  }

  private void colon() {
    skipWs();
    if (pos >= end || b[pos] != ':') {
      throw GIVE_UP;
    }
    pos++;
  }

  /** Only whitespace may follow the root object; anything else is for the general parser. */
  private void finishRoot() {
    skipWs();
    if (pos != end) {
      throw GIVE_UP;
    }
  }

  private byte peek() {
    if (pos >= end) {
      throw GIVE_UP;
    }
    return b[pos];
  }

  private void skipWs() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean is(int start, int stop, String name) {
    int n = name.length();
    if (stop - start != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
