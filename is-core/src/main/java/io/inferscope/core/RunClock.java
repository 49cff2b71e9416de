package io.inferscope.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The one clock of a run. Every timestamp inferscope records, a token arrival or a hardware sample,
 * is an offset in nanoseconds from {@code originNanoTime}, read from the same monotonic source
 * ({@link System#nanoTime()}), so client latency and server samples line up exactly. The wall-clock
 * instant of the origin is kept only to place the run in calendar time.
 *
 * @param originNanoTime the {@link System#nanoTime()} reading taken at run start
 * @param originWall the wall-clock instant read right after {@code originNanoTime}
 */
public record RunClock(long originNanoTime, Instant originWall) {

  public RunClock {
    if (originWall == null) {
      throw new IllegalArgumentException("originWall is required");
    }
  }

  /** Starts a clock now. Reading the clocks is the only side effect. */
  public static RunClock startNow() {
    long nanoTime = System.nanoTime();
    return new RunClock(nanoTime, Instant.now());
  }

  /** Nanoseconds since the origin for a {@link System#nanoTime()} reading. */
  public long offsetNanos(long nanoTime) {
    return nanoTime - originNanoTime;
  }

  /** Nanoseconds since the origin, now. */
  public long nowNanos() {
    return System.nanoTime() - originNanoTime;
  }

  /** The {@link System#nanoTime()} value at an offset, for deadlines and sleeps. */
  public long nanoTimeAt(long offsetNanos) {
    return originNanoTime + offsetNanos;
  }

  /** The wall-clock instant of an offset (for display and export only). */
  public Instant wallAt(long offsetNanos) {
    return originWall.plus(Duration.ofNanos(offsetNanos));
  }

  /**
   * The wall-clock time of an offset in nanoseconds since the Unix epoch, as OTLP dates spans and
   * points: the origin's wall instant plus the offset, the same mapping as {@link #wallAt} (ADR
   * 0003). The wall clock is read once, at the origin, so a step of it during the run moves
   * nothing.
   */
  public long epochNanosAt(long offsetNanos) {
    long origin =
        Math.addExact(
            Math.multiplyExact(originWall.getEpochSecond(), 1_000_000_000L), originWall.getNano());
    return Math.addExact(origin, offsetNanos);
  }
}
