package io.inferscope.probe;

/**
 * One request of a {@link Workload}.
 *
 * @param prompt what it asks
 * @param maxTokens its {@code max_tokens}, or null to send the run's
 * @param offsetNanos when to send it, from the start of measured load (fixed schedules), or null
 * @param inputTokens its input tokens as counted (engine tokenizer or estimate), or null
 */
public record WorkItem(Prompt prompt, Integer maxTokens, Long offsetNanos, Integer inputTokens) {
  public WorkItem {
    if (prompt == null) {
      throw new IllegalArgumentException("prompt is required");
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens must be at least 1: " + maxTokens);
    }
    if (offsetNanos != null && offsetNanos < 0) {
      throw new IllegalArgumentException("a send time must not be negative: " + offsetNanos);
    }
  }
}
