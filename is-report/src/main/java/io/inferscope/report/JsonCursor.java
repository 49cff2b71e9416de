package io.inferscope.report;

import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.InputCoercionException;

/**
 * Typed reads over a {@link JsonParser} that know where they are: every problem becomes an {@link
 * IllegalArgumentException} with one line naming the source, the field's path ({@code
 * requests[3].events.kind[5]}) and what is wrong. Value reads expect the parser on the value's
 * token.
 */
final class JsonCursor {

  private final JsonParser p;
  private final String source;

  JsonCursor(JsonParser p, String source) {
    this.p = p;
    this.source = source;
  }

  /** Advances to the next token; false at the end of input. */
  boolean next() {
    return p.nextToken() != null;
  }

  JsonToken token() {
    return p.currentToken();
  }

  /** The current property's name. */
  String name() {
    return p.currentName();
  }

  /** Skips the current value, whole objects and arrays included. */
  void skip() {
    p.skipChildren();
  }

  boolean isNull() {
    return p.currentToken() == JsonToken.VALUE_NULL;
  }

  /** Advances to the next element of the current array; false at its end. */
  boolean nextElement() {
    return p.nextToken() != JsonToken.END_ARRAY;
  }

  /** The current integer's digits as written, however large. */
  String integerText() {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw fail(where(), "expected an integer, found " + found());
    }
    return p.getNumberValue().toString();
  }

  /** Advances to the next property's value; false at the end of the object. */
  boolean nextProperty() {
    JsonToken t = p.nextToken();
    if (t == JsonToken.END_OBJECT) {
      return false;
    }
    if (t != JsonToken.PROPERTY_NAME) {
      throw fail(where(), "expected a field name, found " + found());
    }
    p.nextToken();
    return true;
  }

  /** Checks for an object start and returns its path, for messages about the object as a whole. */
  String startObject() {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw fail(where(), "expected an object, found " + found());
    }
    return parentPath();
  }

  void startArray() {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw fail(where(), "expected an array, found " + found());
    }
  }

  long longValue() {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw fail(where(), "expected an integer, found " + found());
    }
    try {
      return p.getLongValue();
    } catch (InputCoercionException e) {
      throw fail(where(), "integer out of range");
    }
  }

  Long nullableLong() {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : longValue();
  }

  int intValue() {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw fail(where(), "expected an integer, found " + found());
    }
    try {
      return p.getIntValue();
    } catch (InputCoercionException e) {
      throw fail(where(), "integer out of range");
    }
  }

  Integer nullableInt() {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : intValue();
  }

  Double nullableDouble() {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
      throw fail(where(), "expected a number, found " + found());
    }
    double v = p.getDoubleValue();
    if (!Double.isFinite(v)) {
      throw fail(where(), "number out of range");
    }
    return v;
  }

  boolean booleanValue() {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw fail(where(), "expected true or false, found " + found());
    }
    return t == JsonToken.VALUE_TRUE;
  }

  String stringValue() {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw fail(where(), "expected a string, found " + found());
    }
    return p.getString();
  }

  String nullableString() {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : stringValue();
  }

  <T> T require(T value, String at, String field) {
    if (value == null) {
      throw fail(at, "missing field " + field);
    }
    return value;
  }

  String found() {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  /** Path of the current token, e.g. {@code requests[3].events.kind[5]}. */
  String where() {
    JsonToken t = p.currentToken();
    // On a start token the context is already the new container's own, which has no position yet.
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      return parentPath();
    }
    return path(p.streamReadContext());
  }

  /** Path of the value whose start token is current (the context is already the value's own). */
  private String parentPath() {
    return path(p.streamReadContext().getParent());
  }

  private static String path(TokenStreamContext ctx) {
    Deque<String> parts = new ArrayDeque<>();
    for (TokenStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.currentName() != null) {
        parts.push("." + c.currentName());
      }
    }
    String s = String.join("", parts);
    return s.startsWith(".") ? s.substring(1) : s;
  }

  /** One line: source, path (when inside the document), problem. */
  IllegalArgumentException fail(String at, String problem) {
    return new IllegalArgumentException(
        source + ": " + (at.isEmpty() ? "" : at + ": ") + Fmt.singleLine(problem));
  }
}
