package io.inferscope.core;

/**
 * The server's own account of a request, when it sends one (llama.cpp's {@code timings} object):
 * the second truth beside the client's clock. Any field may be absent (null).
 *
 * @param promptTokens tokens the server evaluated for the prompt (after cache reuse)
 * @param promptMillis server time spent on the prompt (prefill)
 * @param predictedTokens tokens the server generated
 * @param predictedMillis server time spent generating
 * @param cachedTokens prompt tokens served from cache
 * @param predictedPerSecond the server's own decode rate as it sent it ({@code
 *     predicted_per_second}), kept beside the rate derived from the fields above
 */
public record ServerTimings(
    Integer promptTokens,
    Double promptMillis,
    Integer predictedTokens,
    Double predictedMillis,
    Integer cachedTokens,
    Double predictedPerSecond) {

  /** Timings without the server's own rate. */
  public ServerTimings(
      Integer promptTokens,
      Double promptMillis,
      Integer predictedTokens,
      Double predictedMillis,
      Integer cachedTokens) {
    this(promptTokens, promptMillis, predictedTokens, predictedMillis, cachedTokens, null);
  }

  /**
   * Server-side decode rate in tokens per second, or null when not derivable. llama.cpp's {@code
   * predicted_ms} spans first to last generated token ({@code predicted_n - 1} gaps; its own {@code
   * predicted_per_second} is computed that way), which is exactly the client's decode definition,
   * so the two rates compare like for like.
   */
  public Double predictedTokensPerSecond() {
    if (predictedTokens == null
        || predictedTokens < 2
        || predictedMillis == null
        || !(predictedMillis > 0)) {
      return null;
    }
    return (predictedTokens - 1) * 1000.0 / predictedMillis;
  }
}
