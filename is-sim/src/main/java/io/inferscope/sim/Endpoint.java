package io.inferscope.sim;

/** The two completion endpoints and the names their JSON uses. */
enum Endpoint {
  CHAT("chatcmpl-sim-", "chat.completion.chunk", "chat.completion"),
  COMPLETIONS("cmpl-sim-", "text_completion", "text_completion");

  private final String idPrefix;
  private final String chunkObject;
  private final String responseObject;

  Endpoint(String idPrefix, String chunkObject, String responseObject) {
    this.idPrefix = idPrefix;
    this.chunkObject = chunkObject;
    this.responseObject = responseObject;
  }

  String idPrefix() {
    return idPrefix;
  }

  /** The {@code object} of each streamed chunk. */
  String chunkObject() {
    return chunkObject;
  }

  /** The {@code object} of a non-streamed response. */
  String responseObject() {
    return responseObject;
  }
}
