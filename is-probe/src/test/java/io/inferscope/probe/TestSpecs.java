package io.inferscope.probe;

import java.net.URI;
import java.time.Duration;

/** {@link LoadSpec} builders for tests: one short chat request with small timeouts. */
final class TestSpecs {
  /** Bounds small enough that a stuck test fails in seconds. */
  static final Timeouts TIMEOUTS =
      new Timeouts(
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(20),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5));

  private TestSpecs() {}

  /** One chat request to {@code baseUrl}, 16 tokens at most, usage asked for. */
  static LoadSpec.Builder to(URI baseUrl) {
    return to(baseUrl, Endpoint.CHAT);
  }

  static LoadSpec.Builder to(URI baseUrl, Endpoint endpoint) {
    return LoadSpec.builder(baseUrl, endpoint)
        .model("tiny-llama")
        .prompt("Hello")
        .maxTokens(16)
        .requests(1)
        .timeouts(TIMEOUTS);
  }
}
