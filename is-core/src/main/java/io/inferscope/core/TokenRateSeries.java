package io.inferscope.core;

import java.util.Arrays;
import java.util.List;

/**
 * Output text events per time bin as a rate, and requests in flight at each bin's middle, from the
 * run's start to its end. Warm-up requests count here: the engine served them, and the hardware
 * samples show their load.
 *
 * <p>Bins are {@value #BIN_NANOS} ns wide, widened by whole multiples so a long run has at most
 * {@value #MAX_BINS} of them.
 *
 * @param binNanos width of each bin
 * @param textEvents text events that arrived in each bin
 * @param inFlight requests in flight at each bin's middle
 */
public record TokenRateSeries(long binNanos, long[] textEvents, int[] inFlight) {

  public static final long BIN_NANOS = 250_000_000L;
  public static final int MAX_BINS = 10_000;

  /** The series of a run, or null when it sent no request. Pure. */
  public static TokenRateSeries of(List<RequestTrace> traces, long runEndNanos) {
    if (traces.isEmpty()) {
      return null;
    }
    long end = Math.max(1, runEndNanos);
    for (RequestTrace t : traces) {
      end = Math.max(end, t.endNanos());
    }
    long bin = BIN_NANOS;
    long needed = Math.ceilDiv(end, MAX_BINS);
    if (needed > bin) {
      bin = Math.ceilDiv(needed, BIN_NANOS) * BIN_NANOS;
    }
    int bins = (int) Math.ceilDiv(end, bin);
    long[] counts = new long[bins];
    long[] sends = new long[traces.size()];
    long[] ends = new long[traces.size()];
    for (int r = 0; r < traces.size(); r++) {
      RequestTrace t = traces.get(r);
      sends[r] = t.sendNanos();
      ends[r] = t.endNanos();
      EventLog ev = t.events();
      for (int i = 0; i < ev.size(); i++) {
        if (ev.kind(i).isText()) {
          counts[Math.clamp(ev.atNanos(i) / bin, 0, bins - 1)]++;
        }
      }
    }
    Arrays.sort(sends);
    Arrays.sort(ends);
    int[] inFlight = new int[bins];
    for (int b = 0; b < bins; b++) {
      long mid = b * bin + bin / 2;
      inFlight[b] = countAtOrBefore(sends, mid) - countAtOrBefore(ends, mid);
    }
    return new TokenRateSeries(bin, counts, inFlight);
  }

  public int bins() {
    return textEvents.length;
  }

  /** Run-clock offset of bin {@code b}'s middle. */
  public long binMiddleNanos(int b) {
    return b * binNanos + binNanos / 2;
  }

  /** Text events per second in bin {@code b}. */
  public double textEventsPerSecond(int b) {
    return textEvents[b] * 1e9 / binNanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenRateSeries s
        && binNanos == s.binNanos
        && Arrays.equals(textEvents, s.textEvents)
        && Arrays.equals(inFlight, s.inFlight);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(binNanos) * 31
        + Arrays.hashCode(textEvents) * 17
        + Arrays.hashCode(inFlight);
  }

  @Override
  public String toString() {
    return "TokenRateSeries[binNanos=" + binNanos + ", bins=" + bins() + "]";
  }

  /** How many of the sorted values are at or before {@code t}. */
  private static int countAtOrBefore(long[] sorted, long t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
