package io.inferscope.sim;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records how late each event is written against its schedule, and each stream's time to first
 * token, in log-linear histograms of lock-free counters: recording allocates nothing and costs a
 * few atomic adds, so measuring the schedule does not disturb it. Buckets are within about 0.4 % of
 * their values; the max is exact. Each window also says how long the engine's JIT compilers worked
 * in it.
 */
final class ScheduleRecorder {

  /**
   * Sub-buckets per power of two: 2^8 = 256, at most 0.4 % wide, so a value's bucket is within 0.2
   * % of it: 40 µs at a 20 ms TTFT, finer than the 0.3 ms a client's TTFT is held to.
   */
  private static final int SUB_BITS = 8;

  private static final int SUB = 1 << SUB_BITS;
  private static final int BUCKETS = (64 - SUB_BITS) * SUB + SUB;

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

  /**
   * This JVM's JIT compilation time so far, in ms, or null when it does not tell: the engine is a
   * JVM, and while its compilers work it is not yet the steady engine a client is measured against.
   */
  static Long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : null;
  }

  /** Both histograms of one window, swapped together, and the JIT's time when it began. */
  private static final class Window {
    final Histogram lateness = new Histogram();
    final Histogram ttft = new Histogram();
    final Long jitAtStartMillis = jitMillis();

    ScheduleReport report() {
      Long now = jitMillis();
      return new ScheduleReport(
          lateness.spread(),
          ttft.spread(),
          now == null || jitAtStartMillis == null ? null : now - jitAtStartMillis);
    }
  }

  private static final class Histogram {
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong(-1);

    void record(long nanos) {
      counts.incrementAndGet(bucket(nanos));
      if (nanos > max.get()) {
        max.accumulateAndGet(nanos, Math::max);
      }
    }

    ScheduleReport.Spread spread() {
      long[] snapshot = new long[BUCKETS];
      long total = 0;
      for (int i = 0; i < BUCKETS; i++) {
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
