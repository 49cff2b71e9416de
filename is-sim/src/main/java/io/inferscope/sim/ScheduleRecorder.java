package io.inferscope.sim;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records how late each event is written against its schedule, and each stream's time to first
 * token, in log-linear histograms of lock-free counters: recording allocates nothing and costs a
 * few atomic adds, so measuring the schedule does not disturb it. A bucket's middle is within about
 * 1.6 % of its values for lateness, 0.2 % for TTFT; the max is exact. Each window also says how
 * long the engine's JIT compilers worked in it.
 */
final class ScheduleRecorder {

  /**
   * Sub-buckets per power of two for lateness: 2^5 = 32, so a bucket's middle is within 1.6 % of
   * its values; the histogram (1,920 counters) is touched at every event.
   */
  static final int LATENESS_SUB_BITS = 5;

  /**
   * For TTFT: 2^8 = 256, within 0.2 %: 40 µs at a 20 ms TTFT, finer than the 0.3 ms a client's TTFT
   * is held to; touched once per stream.
   */
  static final int TTFT_SUB_BITS = 8;

  private final AtomicReference<Window> window = new AtomicReference<>(new Window());

  /** Books one event written {@code latenessNanos} after it was due (negative counts as 0). */
  void record(long latenessNanos) {
    window.get().lateness.record(Math.max(0, latenessNanos));
  }

  /** Books one stream's first text event, stamped {@code ttftNanos} after its request was read. */
  void firstToken(long ttftNanos) {
    window.get().ttft.record(Math.max(0, ttftNanos));
  }

  /** The current window. */
  ScheduleReport report() {
    return window.get().report();
  }

  /** The current window, which ends: events from now on count in a new one. */
  ScheduleReport reset() {
    return window.getAndSet(new Window()).report();
  }

  /** The bucket of {@code value} (not negative) with {@code subBits} bits below its leading one. */
  static int bucket(long value, int subBits) {
    int sub = 1 << subBits;
    if (value < sub) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value); // >= subBits
    int low = (int) (value >>> (exponent - subBits)) & (sub - 1);
    return (exponent - subBits + 1) * sub + low;
  }

  /** The middle of bucket {@code index}'s values. */
  static long bucketValue(int index, int subBits) {
    int sub = 1 << subBits;
    if (index < sub) {
      return index;
    }
    int exponent = index / sub + subBits - 1;
    long low = (long) (sub | index % sub) << (exponent - subBits);
    long width = 1L << (exponent - subBits);
    return low + (width - 1) / 2;
  }

  /** Both histograms of one window, swapped together, and the JIT's time when it began. */
  private static final class Window {
    final Histogram lateness = new Histogram(LATENESS_SUB_BITS);
    final Histogram ttft = new Histogram(TTFT_SUB_BITS);
    final Long jitAtStartMillis = ScheduleReport.jitMillisSoFar();

    ScheduleReport report() {
      Long now = ScheduleReport.jitMillisSoFar();
      return new ScheduleReport(
          lateness.spread(),
          ttft.spread(),
          now == null || jitAtStartMillis == null ? null : Math.max(0, now - jitAtStartMillis));
    }
  }

  private static final class Histogram {
    private final int subBits;
    private final AtomicLongArray counts;
    private final AtomicLong max = new AtomicLong(-1);

    Histogram(int subBits) {
      this.subBits = subBits;
      this.counts = new AtomicLongArray((64 - subBits) * (1 << subBits) + (1 << subBits));
    }

    void record(long nanos) {
      counts.incrementAndGet(bucket(nanos, subBits));
      if (nanos > max.get()) {
        max.accumulateAndGet(nanos, Math::max);
      }
    }

    ScheduleReport.Spread spread() {
      long[] snapshot = new long[counts.length()];
      long total = 0;
      for (int i = 0; i < snapshot.length; i++) {
        snapshot[i] = counts.get(i);
        total += snapshot[i];
      }
      if (total == 0) {
        return ScheduleReport.Spread.NONE;
      }
      long maxNanos = Math.max(max.get(), 0);
      return new ScheduleReport.Spread(
          total,
          Math.min(percentile(snapshot, total, 0.50), maxNanos),
          Math.min(percentile(snapshot, total, 0.99), maxNanos),
          maxNanos);
    }

    /** The value of the bucket holding the value of rank ceil(p·n). */
    private long percentile(long[] snapshot, long total, double p) {
      long rank = Math.max(1, (long) Math.ceil(p * total));
      long seen = 0;
      for (int i = 0; i < snapshot.length; i++) {
        seen += snapshot[i];
        if (seen >= rank) {
          return bucketValue(i, subBits);
        }
      }
      return bucketValue(snapshot.length - 1, subBits);
    }
  }
}
