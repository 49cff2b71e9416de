package io.inferscope.sim;

/**
 * A simulated OpenAI-compatible streaming engine on loopback. Serves {@code POST
 * /v1/chat/completions}, {@code POST /v1/completions}, {@code GET /v1/models}, {@code GET /health}
 * and {@code GET /metrics}.
 */
public final class SimEngine implements AutoCloseable {

  /** Starts the engine; returns once it accepts connections. */
  public static SimEngine start(SimConfig config) throws java.io.IOException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The bound port. */
  public int port() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** {@code http://host:port}. */
  public String baseUrl() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Requests received so far (all endpoints that stream). */
  public long requestsReceived() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Stops accepting, ends open streams, frees the port. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
