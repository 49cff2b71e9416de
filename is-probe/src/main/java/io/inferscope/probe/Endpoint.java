package io.inferscope.probe;

/** The OpenAI-compatible streaming endpoints inferscope drives. */
public enum Endpoint {
  /** {@code POST /v1/chat/completions} with a one-message {@code messages} array. */
  CHAT("/v1/chat/completions"),
  /** {@code POST /v1/completions} with a {@code prompt}. */
  COMPLETIONS("/v1/completions");

  private final String path;

  Endpoint(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }

  public String code() {
    return this == CHAT ? "chat" : "completions";
  }
}
