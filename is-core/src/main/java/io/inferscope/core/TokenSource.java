package io.inferscope.core;

/** Where a request's output token count came from. */
public enum TokenSource {
  /** The server's {@code usage.completion_tokens}: exact. */
  USAGE,
  /** Counted text chunks: exact only when the server sends one token per chunk. */
  CHUNKS;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
