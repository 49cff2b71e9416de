package io.inferscope.probe;

import java.util.List;

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

  /** A request of a burst: its id, its intended send time (run clock) and its body. */
  record Due(int id, long intendedNanos, byte[] body) {}

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
   * Adds the next burst's requests to {@code into} (empty); false, adding none, when there are no
   * more: the schedule, the ids or the time has ended, or the run is ending.
   */
  boolean next(List<Due> into) {
    if (!due(-1)) {
      return false;
    }
    long first = originNanos + offsetNanos;
    while (into.size() < maxBurst && due(first)) {
      byte[] body = into.isEmpty() ? bodies.take() : bodies.poll();
      if (body == null) {
        return !into.isEmpty(); // the run is ending, or it is not made yet: it leads the next
      }
      into.add(new Due(id, originNanos + offsetNanos, body));
      id++;
      offsetNanos = schedule.nextOffsetNanos();
    }
    return true;
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
