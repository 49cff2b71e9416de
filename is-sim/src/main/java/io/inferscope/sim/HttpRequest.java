package io.inferscope.sim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.x request, fully read.
 *
 * @param method the request method
 * @param path the request target without its query string
 * @param http10 whether the client spoke HTTP/1.0 (no chunked responses, no keep-alive)
 * @param headers header values by lower-case name (repeated headers joined with commas)
 * @param body the decoded body (empty when none)
 * @param receivedNanos {@link System#nanoTime()} when the last byte of the request was read
 */
record HttpRequest(
    String method,
    String path,
    boolean http10,
    Map<String, String> headers,
    byte[] body,
    long receivedNanos) {

  /** Whether the connection may carry another request after this one. */
  boolean keepAlive() {
    if (http10) {
      return false;
    }
    String connection = headers.get("connection");
    return connection == null || !connection.toLowerCase(Locale.ROOT).contains("close");
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
