package io.inferscope.sim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The engine's counters, served at {@code /metrics} under llama.cpp's series names. */
final class SimMetrics {

  /** The slots' gauges when the engine models its capacity; null when requests are independent. */
  private final CapacityModel capacity;

  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder promptNanos = new LongAdder();
  private final LongAdder tokensPredicted = new LongAdder();
  private final LongAdder predictedNanos = new LongAdder();
  private final AtomicLong maxSequenceTokens = new AtomicLong();
  private final AtomicInteger requestsProcessing = new AtomicInteger();

  /**
   * @param capacity the engine's capacity model, which then says how many requests hold a slot and
   *     how many wait; null when every request runs at once (none waits)
   */
  SimMetrics(CapacityModel capacity) {
    this.capacity = capacity;
  }

  void requestStarted(int promptTokenCount, long prefillNanos) {
    requestsProcessing.incrementAndGet();
    promptTokens.add(promptTokenCount);
    promptNanos.add(prefillNanos);
  }

  void tokensSent(int count) {
    tokensPredicted.add(count);
  }

  /** Called once per request that started, however it ended. */
  void requestEnded(int promptTokenCount, int tokensSentCount, long decodeNanos) {
    requestsProcessing.decrementAndGet();
    predictedNanos.add(decodeNanos);
    maxSequenceTokens.accumulateAndGet(promptTokenCount + tokensSentCount, Math::max);
  }

  /** The Prometheus text exposition (format 0.0.4). */
  String render() {
    long prompt = promptTokens.sum();
    double promptSeconds = promptNanos.sum() / 1e9;
    long predicted = tokensPredicted.sum();
    double predictedSeconds = predictedNanos.sum() / 1e9;
    StringBuilder sb = new StringBuilder(2048);
    series(
        sb,
        "prompt_tokens_total",
        "counter",
        "Number of prompt tokens processed, excluding cached tokens",
        prompt);
    series(
        sb,
        "prompt_seconds_total",
        "counter",
        "Total time spent processing prompts",
        promptSeconds);
    series(
        sb,
        "tokens_predicted_total",
        "counter",
        "Number of generation tokens processed",
        predicted);
    series(
        sb,
        "tokens_predicted_seconds_total",
        "counter",
        "Total time spent generating tokens",
        predictedSeconds);
    series(
        sb,
        "n_tokens_max",
        "counter",
        "Largest observed sequence length (prompt + generation)",
        maxSequenceTokens.get());
    series(
        sb,
        "prompt_tokens_seconds",
        "gauge",
        "Average prompt throughput in tokens/s",
        promptSeconds > 0 ? prompt / promptSeconds : 0);
    series(
        sb,
        "predicted_tokens_seconds",
        "gauge",
        "Average generation throughput in tokens/s",
        predictedSeconds > 0 ? predicted / predictedSeconds : 0);
    series(
        sb,
        "requests_processing",
        "gauge",
        "Number of requests processing",
        capacity == null ? requestsProcessing.get() : capacity.processing());
    series(
        sb,
        "requests_deferred",
        "gauge",
        "Number of requests deferred",
        capacity == null ? 0 : capacity.deferred());
    return sb.toString();
  }

  private static void series(
      StringBuilder sb, String name, String type, String help, double value) {
    sb.append("# HELP llamacpp:").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE llamacpp:").append(name).append(' ').append(type).append('\n');
    sb.append("llamacpp:").append(name).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      sb.append((long) value);
    } else {
      sb.append(value);
    }
    sb.append('\n');
  }
}
