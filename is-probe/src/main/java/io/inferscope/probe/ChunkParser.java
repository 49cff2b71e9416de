package io.inferscope.probe;

import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads one SSE data payload of an OpenAI-compatible stream (llama.cpp, vLLM, SGLang, TGI, Ollama
 * shapes): first with {@link FastChunkReader}, which makes no garbage, then, for what it leaves,
 * with Jackson's streaming parser. Neither builds a tree; text values are measured, never turned
 * into strings, because a run parses millions of chunks. Pure and thread-safe.
 */
final class ChunkParser {
  /** Longest payload excerpt quoted in a malformed-chunk detail. */
  static final int EXCERPT_CHARS = 120;

  private static final JsonFactory JSON = new JsonFactory();

  private ChunkParser() {}

  static Chunk parse(String payload) {
    byte[] b = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /** Reads the payload {@code bytes[offset, offset + length)} (UTF-8). Never throws. */
  static Chunk parse(byte[] bytes, int offset, int length) {
    if (isDone(bytes, offset, length)) {
      return Chunk.DONE;
    }
    FastChunkReader r = new FastChunkReader(bytes, offset, length);
    try {
      r.read();
    } catch (FastChunkReader.GiveUp e) {
      return general(bytes, offset, length);
    }
    return r.toChunk(bytes, offset, length);
  }

  /**
   * Reads the payload with the general streaming parser: what the fast reader leaves, and every
   * payload that is not valid JSON, whose diagnostic comes from here.
   */
  static Chunk parseGeneral(byte[] bytes, int offset, int length) {
    return isDone(bytes, offset, length) ? Chunk.DONE : general(bytes, offset, length);
  }

  private static Chunk general(byte[] bytes, int offset, int length) {
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
      return read(p, bytes, offset, length);
    } catch (JacksonException e) {
      return Chunk.malformed(
          "invalid JSON ("
              + reason(e)
              + "): "
              + Excerpts.oneLine(bytes, offset, length, EXCERPT_CHARS));
    }
  }

  /** Jackson's reason, without the location and the list of what it expected. */
  private static String reason(JacksonException e) {
    String m = String.valueOf(e.getOriginalMessage());
    for (String tail : new String[] {" (start marker", ": was expecting", "\n"}) {
      int i = m.indexOf(tail);
      if (i > 0) {
        m = m.substring(0, i);
      }
    }
    return Excerpts.oneLine(m, 80);
  }

  private static boolean isDone(byte[] b, int off, int len) {
    int s = off;
    int e = off + len;
    while (s < e && (b[s] == ' ' || b[s] == '\t')) {
      s++;
    }
    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
      e--;
    }
    return e - s == 6
        && b[s] == '['
        && b[s + 1] == 'D'
        && b[s + 2] == 'O'
        && b[s + 3] == 'N'
        && b[s + 4] == 'E'
        && b[s + 5] == ']';
  }

  private static Chunk read(JsonParser p, byte[] bytes, int offset, int length) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return Chunk.malformed(
          "not a JSON object: " + Excerpts.oneLine(bytes, offset, length, EXCERPT_CHARS));
    }
    ChunkFields a = new ChunkFields();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "choices" -> readChoices(p, v, a);
        case "usage" -> a.usage = v == JsonToken.START_OBJECT ? readUsage(p) : skip(p, null);
        case "timings" -> a.timings = v == JsonToken.START_OBJECT ? readTimings(p) : skip(p, null);
        case "error" -> a.error = readError(p, v);
        case "object" ->
            a.objectIsError = v == JsonToken.VALUE_STRING && "error".equals(p.getString());
        case "message" ->
            a.topMessage = v == JsonToken.VALUE_STRING ? p.getString() : skip(p, null);
        case "x_inferscope_sent_ns" ->
            a.sentNanos = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : skip(p, null);
        default -> p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      return Chunk.malformed(
          "unexpected " + t + ": " + Excerpts.oneLine(bytes, offset, length, EXCERPT_CHARS));
    }
    if (p.nextToken() != null) {
      return Chunk.malformed(
          "data after the JSON object: " + Excerpts.oneLine(bytes, offset, length, EXCERPT_CHARS));
    }
    return a.toChunk(bytes, offset, length);
  }

  private static void readChoices(JsonParser p, JsonToken v, ChunkFields a) {
    if (v != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    a.hasChoices = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_OBJECT) {
        readChoice(p, a);
      } else {
        p.skipChildren();
      }
    }
  }

  private static void readChoice(JsonParser p, ChunkFields a) {
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        // "message" is the non-streamed shape, read the same way.
        case "delta", "message" -> {
          if (v == JsonToken.START_OBJECT) {
            readDelta(p, a);
          } else {
            p.skipChildren();
          }
        }
        case "text" -> a.contentChars += stringLength(p, v);
        case "finish_reason" -> {
          if (v == JsonToken.VALUE_STRING) {
            a.finishReason = p.getString();
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private static void readDelta(JsonParser p, ChunkFields a) {
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "content" -> a.contentChars += stringLength(p, v);
        // vLLM and SGLang use either name, depending on version and parser.
        case "reasoning_content", "reasoning" -> a.reasoningChars += stringLength(p, v);
        case "role" -> {
          if (v == JsonToken.VALUE_STRING) {
            a.role = true;
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  /** Length of a string value without making a String; 0 for null or any other value. */
  private static int stringLength(JsonParser p, JsonToken v) {
    if (v == JsonToken.VALUE_STRING) {
      return p.getStringLength();
    }
    p.skipChildren();
    return 0;
  }

  private static Usage readUsage(JsonParser p) {
    Integer prompt = null;
    Integer completion = null;
    Integer total = null;
    Integer reasoning = null;
    Integer cached = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "prompt_tokens" -> prompt = intOrNull(p, v);
        case "completion_tokens" -> completion = intOrNull(p, v);
        case "total_tokens" -> total = intOrNull(p, v);
        case "completion_tokens_details" -> {
          Integer r = nestedInt(p, v, "reasoning_tokens");
          if (r != null) {
            reasoning = r;
          }
        }
        case "prompt_tokens_details" -> {
          Integer c = nestedInt(p, v, "cached_tokens");
          if (c != null) {
            cached = c;
          }
        }
        default -> p.skipChildren();
      }
    }
    return new Usage(prompt, completion, total, reasoning, cached);
  }

  private static ServerTimings readTimings(JsonParser p) {
    Integer promptN = null;
    Double promptMs = null;
    Integer predictedN = null;
    Double predictedMs = null;
    Integer cacheN = null;
    Double perSecond = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "prompt_n" -> promptN = intOrNull(p, v);
        case "prompt_ms" -> promptMs = doubleOrNull(p, v);
        case "predicted_n" -> predictedN = intOrNull(p, v);
        case "predicted_ms" -> predictedMs = doubleOrNull(p, v);
        case "cache_n" -> cacheN = intOrNull(p, v);
        case "predicted_per_second" -> perSecond = doubleOrNull(p, v);
        default -> p.skipChildren();
      }
    }
    return new ServerTimings(promptN, promptMs, predictedN, predictedMs, cacheN, perSecond);
  }

  /** The message of an {@code error} value: an object's {@code message}, or a string itself. */
  private static String readError(JsonParser p, JsonToken v) {
    if (v == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    String message = null;
    String type = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_STRING && "message".equals(name)) {
        message = p.getString();
      } else if (t == JsonToken.VALUE_STRING && "type".equals(name)) {
        type = p.getString();
      } else {
        p.skipChildren();
      }
    }
    if (message != null) {
      return message;
    }
    return type != null ? type : "error object without a message";
  }

  private static Integer nestedInt(JsonParser p, JsonToken v, String field) {
    if (v != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    Integer result = null;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals(name)) {
        result = intOrNull(p, t);
      } else {
        p.skipChildren();
      }
    }
    return result;
  }

  private static Integer intOrNull(JsonParser p, JsonToken v) {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getValueAsInt();
    }
    if (v == JsonToken.VALUE_NUMBER_FLOAT) {
      return (int) p.getDoubleValue();
    }
    p.skipChildren();
    return null;
  }

  private static Double doubleOrNull(JsonParser p, JsonToken v) {
    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    p.skipChildren();
    return null;
  }

  /** Skips the current value and returns {@code result}: lets a switch arm stay one expression. */
  private static <T> T skip(JsonParser p, T result) {
    p.skipChildren();
    return result;
  }
}
