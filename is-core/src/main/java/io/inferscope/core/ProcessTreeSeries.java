package io.inferscope.core;

import java.util.Arrays;

/**
 * The engine tree's figures over time, for timeline charts. Per-sample arrays have one entry per
 * sample; per-interval arrays have one entry per pair of consecutive samples, interval {@code i}
 * running from {@code sampleAtNanos[i]} to {@code sampleAtNanos[i + 1]}. A per-interval figure that
 * could not be derived (the counter was unreadable, or the interval had no length) is {@link
 * Double#NaN}, never 0.
 *
 * @param sampleAtNanos run-clock offset of each sample
 * @param rssBytes resident set size summed over the tree, per sample
 * @param threads threads summed over the tree, per sample
 * @param processCount processes in the tree, per sample
 * @param cpuPercent tree CPU per interval, percent of one core (see {@link ProcessTreeMetrics})
 * @param voluntaryContextSwitchesPerSecond tree voluntary context switches per second, per interval
 * @param involuntaryContextSwitchesPerSecond the same for involuntary ones
 * @param readBytesPerSecond bytes read from storage per second, per interval
 * @param writeBytesPerSecond bytes written to storage per second, per interval
 */
public record ProcessTreeSeries(
    long[] sampleAtNanos,
    long[] rssBytes,
    int[] threads,
    int[] processCount,
    double[] cpuPercent,
    double[] voluntaryContextSwitchesPerSecond,
    double[] involuntaryContextSwitchesPerSecond,
    double[] readBytesPerSecond,
    double[] writeBytesPerSecond) {

  public int intervals() {
    return cpuPercent.length;
  }

  // Arrays make the generated equals compare identity; compare contents instead.
  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessTreeSeries s
        && Arrays.equals(sampleAtNanos, s.sampleAtNanos)
        && Arrays.equals(rssBytes, s.rssBytes)
        && Arrays.equals(threads, s.threads)
        && Arrays.equals(processCount, s.processCount)
        && Arrays.equals(cpuPercent, s.cpuPercent)
        && Arrays.equals(voluntaryContextSwitchesPerSecond, s.voluntaryContextSwitchesPerSecond)
        && Arrays.equals(involuntaryContextSwitchesPerSecond, s.involuntaryContextSwitchesPerSecond)
        && Arrays.equals(readBytesPerSecond, s.readBytesPerSecond)
        && Arrays.equals(writeBytesPerSecond, s.writeBytesPerSecond);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sampleAtNanos) + 31 * Arrays.hashCode(cpuPercent);
  }

  @Override
  public String toString() {
    return "ProcessTreeSeries[samples=" + sampleAtNanos.length + ", intervals=" + intervals() + "]";
  }
}
