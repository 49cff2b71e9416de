package io.inferscope.probe;

/**
 * The open loop's requests in the order of their schedule, grouped into bursts: a request and those
 * due within {@link #WINDOW_NANOS} after it whose bodies are already made, so that the scheduler
 * makes a whole burst ready before its first request's time. Taking a body wakes the thread that
 * makes the next one; between two requests of a burst that cost the second 0.1–1 ms of send lag on
 * 2 cores (docs/benchmarks.md, "Trace replay"). A body not made yet is not waited for: it leads the
 * next burst. Sequential: one scheduler reads it.
 */
final class Bursts {
  /** Requests due within this time after a burst's first join it: a trace's are due at once. */
  static final long WINDOW_NANOS = 1_000_000;

  /** Where the bodies come from. */
  interface Bodies {
    /** The next body, waiting until it is made; null when the run is ending. */
    byte[] take();

    /** The next body if it is made, else null; never waits. */
    byte[] poll();
  }

  /** Takes each request of a burst as it comes: its id, intended send time (run clock), body. */
  interface Sink {
    void add(int id, long intendedNanos, byte[] body);
  }

  private final ArrivalSchedule schedule;
  private final Bodies bodies;
  private final long originNanos;
  private final long deadlineNanos;
  private final int endId;
  private final int maxBurst;
  private int id;
  private long offsetNanos;

  /**
   * Requests {@code firstId} until {@code endId} (exclusive), each at {@code originNanos} plus its
   * offset in {@code schedule}, none at or after {@code deadlineNanos}, at most {@code maxBurst} a
   * burst.
   */
  Bursts(
      ArrivalSchedule schedule,
      Bodies bodies,
      long originNanos,
      long deadlineNanos,
      int firstId,
      int endId,
      int maxBurst) {
    this.schedule = schedule;
    this.bodies = bodies;
    this.originNanos = originNanos;
    this.deadlineNanos = deadlineNanos;
    this.id = firstId;
    this.endId = endId;
    this.maxBurst = maxBurst;
    this.offsetNanos = schedule.nextOffsetNanos();
  }

  /**
   * Gives the next burst's requests to {@code sink} in order; how many, 0 when there are no more:
   * the schedule, the ids or the time has ended, or the run is ending.
   */
  int next(Sink sink) {
    if (!due(-1)) {
      return 0;
    }
    long first = originNanos + offsetNanos;
    int n = 0;
    while (n < maxBurst && due(first)) {
      byte[] body = n == 0 ? bodies.take() : bodies.poll();
      if (body == null) {
        return n; // the run is ending, or it is not made yet: it leads the next
      }
      sink.add(id, originNanos + offsetNanos, body);
      n++;
      id++;
      offsetNanos = schedule.nextOffsetNanos();
    }
    return n;
  }

  /** Whether there is a next request, within the window after {@code firstNanos} (-1: any). */
  private boolean due(long firstNanos) {
    long at = originNanos + offsetNanos;
    return id < endId
        && offsetNanos >= 0
        && at < deadlineNanos
        && (firstNanos < 0 || at - firstNanos <= WINDOW_NANOS);
  }
}
