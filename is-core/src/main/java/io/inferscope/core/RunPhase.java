package io.inferscope.core;

/**
 * One phase of a run, on the run clock.
 *
 * @param kind what the phase is
 * @param startNanos run-clock start
 * @param endNanos run-clock end, after the start
 */
public record RunPhase(RunPhaseKind kind, long startNanos, long endNanos) {
  public RunPhase {
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    if (endNanos <= startNanos) {
      throw new IllegalArgumentException("a phase ends after it starts");
    }
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }
}
