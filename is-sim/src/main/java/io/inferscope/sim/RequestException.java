package io.inferscope.sim;

/**
 * A request the engine refuses, with the HTTP status and OpenAI-style error type to answer with.
 */
final class RequestException extends Exception {

  private final int status;
  private final String type;

  RequestException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  static RequestException invalid(String message) {
    return new RequestException(400, "invalid_request_error", message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}
