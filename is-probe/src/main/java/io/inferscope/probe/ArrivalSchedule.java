package io.inferscope.probe;

import java.util.Random;

/**
 * Intended send offsets of open-loop requests, from the start of measured load: request {@code i}
 * at {@code i / rate} (constant), or after exponential gaps of mean {@code 1 / rate} drawn from a
 * seeded generator (Poisson arrivals), the first at 0. Sequential: one scheduler reads it.
 */
final class ArrivalSchedule {
  private final double ratePerSecond;
  private final LoadSpec.Arrival arrival;
  private final Random random;
  private int index;
  private double poissonSeconds;

  ArrivalSchedule(double ratePerSecond, LoadSpec.Arrival arrival, long seed) {
    this.ratePerSecond = ratePerSecond;
    this.arrival = arrival;
    this.random = new Random(seed);
  }

  /** The offset of the next request in nanoseconds from the start. */
  long nextOffsetNanos() {
    int i = index++;
    if (arrival == LoadSpec.Arrival.CONSTANT) {
      // From the index, not by adding gaps, so rounding never accumulates.
      return Math.round(i * 1e9 / ratePerSecond);
    }
    if (i > 0) {
      poissonSeconds += -Math.log(1.0 - random.nextDouble()) / ratePerSecond;
    }
    return Math.round(poissonSeconds * 1e9);
  }
}
