package io.inferscope.sim;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records how late each event is written against its schedule, in a log-linear histogram of
 * lock-free counters: recording allocates nothing and costs a few atomic adds, so measuring the
 * schedule does not disturb it. Buckets are within about 3 % of their values; the max is exact.
 */
final class ScheduleLateness {

  /** Sub-buckets per power of two: 2^5 = 32, about 3 % wide. */
  private static final int SUB_BITS = 5;

  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = (64 - SUB_BITS) * SUB + SUB;

  private final AtomicReference<Window> window = new AtomicReference<>(new Window());

  /** Books one event written {@code latenessNanos} after it was due (negative counts as 0). */
  void record(long latenessNanos) {
    window.get().record(Math.max(0, latenessNanos));
  }

  /** The current window. */
  ScheduleReport report() {
    return window.get().report();
  }

  /** The current window, which ends: events from now on count in a new one. */
  ScheduleReport reset() {
    return window.getAndSet(new Window()).report();
  }

  static int bucket(long value) {
    if (value < SUB) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
    int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB - 1);
    return (exponent - SUB_BITS + 1) * SUB + sub;
  }

  /** The middle of bucket {@code index}'s values. */
  static long bucketValue(int index) {
    if (index < SUB) {
      return index;
    }
    int exponent = index / SUB + SUB_BITS - 1;
    int sub = index % SUB;
    long low = (long) (SUB | sub) << (exponent - SUB_BITS);
    long width = 1L << (exponent - SUB_BITS);
    return low + (width - 1) / 2;
  }

  private static final class Window {
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong max = new AtomicLong(-1);

    void record(long latenessNanos) {
      counts.incrementAndGet(bucket(latenessNanos));
      events.incrementAndGet();
      if (latenessNanos > max.get()) {
        max.accumulateAndGet(latenessNanos, Math::max);
      }
    }

    ScheduleReport report() {
      long[] snapshot = new long[BUCKETS];
      long total = 0;
      for (int i = 0; i < BUCKETS; i++) {
        snapshot[i] = counts.get(i);
        total += snapshot[i];
      }
      if (total == 0) {
        return new ScheduleReport(0, null, null, null);
      }
      long maxNanos = Math.max(max.get(), 0);
      return new ScheduleReport(
          total,
          Math.min(percentile(snapshot, total, 0.50), maxNanos),
          Math.min(percentile(snapshot, total, 0.99), maxNanos),
          maxNanos);
    }

    /** The value of the bucket holding the value of rank ceil(p·n). */
    private static long percentile(long[] snapshot, long total, double p) {
      long rank = Math.max(1, (long) Math.ceil(p * total));
      long seen = 0;
      for (int i = 0; i < snapshot.length; i++) {
        seen += snapshot[i];
        if (seen >= rank) {
          return bucketValue(i);
        }
      }
      return bucketValue(snapshot.length - 1);
    }
  }
}
