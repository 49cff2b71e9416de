package io.inferscope.core;

import java.util.Arrays;

/**
 * Distribution of one figure over a sample. Percentiles use linear interpolation between the two
 * closest ranks (Hyndman and Fan type 7, numpy's default), so figures compare directly with vLLM
 * {@code bench serve} and AIPerf; see ADR 0002. The unit is the unit of the values, named where the
 * summary is used ({@code ttftNanos}, ...). A summary of no values does not exist: {@link #of}
 * returns null.
 */
public record Summary(
    int count,
    double mean,
    double stddev,
    double min,
    double p50,
    double p90,
    double p95,
    double p99,
    double max) {

  /** Summary of the values, or null when there are none. The array is not modified. */
  public static Summary of(double[] values) {
    if (values.length == 0) {
      return null;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted);
  }

  /** Summary of the values, or null when there are none. The array is not modified. */
  public static Summary of(long[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    if (d.length == 0) {
      return null;
    }
    Arrays.sort(d);
    return ofSorted(d);
  }

  /** Values gathered one by one (a run's gaps can be millions), then summarised once. */
  public static final class Values {
    private double[] values = new double[16];
    private int size;

    public void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    /** The summary of the values added, or null when there are none. */
    public Summary summary() {
      if (size == 0) {
        return null;
      }
      double[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return ofSorted(sorted);
    }
  }

  private static Summary ofSorted(double[] sorted) {
    int n = sorted.length;
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    double mean = sum / n;
    double sq = 0;
    for (double v : sorted) {
      sq += (v - mean) * (v - mean);
    }
    // Population standard deviation: the run is the whole population of its requests.
    double stddev = Math.sqrt(sq / n);
    return new Summary(
        n,
        mean,
        stddev,
        sorted[0],
        percentileOfSorted(sorted, 50),
        percentileOfSorted(sorted, 90),
        percentileOfSorted(sorted, 95),
        percentileOfSorted(sorted, 99),
        sorted[n - 1]);
  }

  /**
   * The p-th percentile (0..100) of sorted values by linear interpolation between closest ranks:
   * rank {@code h = (n - 1) * p / 100}, value {@code x[floor h] + (h - floor h) * (x[floor h + 1] -
   * x[floor h])}.
   */
  public static double percentileOfSorted(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile outside 0..100: " + p);
    }
    double h = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The same summary with every figure multiplied by {@code factor} (unit conversion). */
  public Summary scaled(double factor) {
    return new Summary(
        count,
        mean * factor,
        stddev * Math.abs(factor),
        min * factor,
        p50 * factor,
        p90 * factor,
        p95 * factor,
        p99 * factor,
        max * factor);
  }
}
