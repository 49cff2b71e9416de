package io.inferscope.core;

import java.util.List;

/**
 * One read of the engine's {@code /metrics} on the run clock. The read's moment is the midpoint of
 * send and receive, known to within half their difference.
 *
 * @param sentNanos when the request was sent
 * @param receivedNanos when the whole answer had arrived
 * @param values one value per series of {@link EngineMetrics#series()}, by index; shorter when
 *     later series had not appeared yet; null where a series was absent from this read
 * @param malformedLines lines of the answer that did not parse and were skipped
 */
public record EngineScrape(
    long sentNanos, long receivedNanos, List<Double> values, int malformedLines) {

  public EngineScrape {
    if (receivedNanos < sentNanos) {
      throw new IllegalArgumentException("received before sent");
    }
    values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
  }

  /** The moment the values describe: the midpoint of send and receive. */
  public long atNanos() {
    return sentNanos + (receivedNanos - sentNanos) / 2;
  }

  /** Half the read's round trip: how far from {@link #atNanos()} the values may lie. */
  public long uncertaintyNanos() {
    return (receivedNanos - sentNanos) / 2;
  }

  /** The value of series {@code index}, or null when this read did not have it. */
  public Double value(int index) {
    return index < values.size() ? values.get(index) : null;
  }
}
