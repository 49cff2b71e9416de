package io.inferscope.core;

import java.util.List;

/**
 * The span the client measured: the first measured (non-warm-up) send to the last measured end.
 * Throughput, GPU energy per token and whole-run hardware figures all cover this one span, so
 * tokens and joules describe the same interval.
 *
 * @param startNanos run-clock offset of the first measured send
 * @param endNanos run-clock offset of the last measured end
 */
public record MeasuredWindow(long startNanos, long endNanos) {

  public MeasuredWindow {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("window ends before it starts");
    }
  }

  /** The window of the run's measured requests, or null when no request was measured. */
  public static MeasuredWindow of(List<RequestTrace> traces) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (RequestTrace t : traces) {
      if (!t.warmup()) {
        start = Math.min(start, t.sendNanos());
        end = Math.max(end, t.endNanos());
      }
    }
    return start == Long.MAX_VALUE ? null : new MeasuredWindow(start, end);
  }

  public long lengthNanos() {
    return endNanos - startNanos;
  }
}
