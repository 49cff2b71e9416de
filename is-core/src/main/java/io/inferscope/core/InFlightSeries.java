package io.inferscope.core;

import java.util.Arrays;

/**
 * Measured requests in flight over time, as a step function for charts: {@code count[i]} requests
 * were in flight from {@code atNanos[i]} until {@code atNanos[i + 1]}. The first point is the first
 * send, the last the last end (count 0). A request is in flight from its send to its end.
 *
 * @param atNanos run-clock times at which the count changed, ascending
 * @param count requests in flight from that time on
 */
public record InFlightSeries(long[] atNanos, int[] count) {

  public InFlightSeries {
    if (atNanos.length != count.length) {
      throw new IllegalArgumentException("atNanos and count differ in length");
    }
  }

  public int size() {
    return atNanos.length;
  }

  // Arrays make the generated equals compare identity; compare contents instead.
  @Override
  public boolean equals(Object o) {
    return o instanceof InFlightSeries s
        && Arrays.equals(atNanos, s.atNanos)
        && Arrays.equals(count, s.count);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(atNanos) + 31 * Arrays.hashCode(count);
  }

  @Override
  public String toString() {
    return "InFlightSeries[points=" + atNanos.length + "]";
  }
}
