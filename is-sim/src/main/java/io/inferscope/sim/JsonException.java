package io.inferscope.sim;

/** A request body that is not well-formed JSON. */
final class JsonException extends Exception {

  JsonException(String message, int offset) {
    super(message + " at offset " + offset);
  }
}
