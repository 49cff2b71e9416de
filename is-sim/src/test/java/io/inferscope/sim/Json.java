package io.inferscope.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test shorthands over {@link JsonReader}'s output. */
final class Json {

  private Json() {}

  static Map<String, Object> object(String text) {
    try {
      return object(JsonReader.parse(text));
    } catch (JsonException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A JSON object as a map with typed keys (JSON keys are always strings). */
  static Map<String, Object> object(Object value) {
    Map<String, Object> object = new LinkedHashMap<>();
    ((Map<?, ?>) value).forEach((key, item) -> object.put((String) key, item));
    return object;
  }

  static List<?> list(Object value) {
    return (List<?>) value;
  }

  /** {@code choices[0]} of a chunk. */
  static Map<String, Object> choice(Map<String, Object> chunk) {
    return object(list(chunk.get("choices")).getFirst());
  }

  static Map<String, Object> delta(Map<String, Object> chunk) {
    return object(choice(chunk).get("delta"));
  }

  static long number(Object value) {
    return ((Number) value).longValue();
  }
}
