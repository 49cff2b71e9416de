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
    return read().clock();
  }

  /**
   * A clock started now, with how long its wall-clock instant took to read.
   *
   * @param clock the clock
   * @param wallReadNanos monotonic nanoseconds from the origin to just after the wall clock was
   *     read: the wall instant was read within this long after the origin, so two clocks' origins
   *     compared by their wall instants differ from the truth by at most this much more than the
   *     wall clocks themselves do
   */
  public record Reading(RunClock clock, long wallReadNanos) {}

  /** Starts a clock now and times the wall-clock read (sharded runs record it, ADR 0019). */
  public static Reading read() {
    long nanoTime = System.nanoTime();
    Instant wall = Instant.now();
    long after = System.nanoTime();
    return new Reading(new RunClock(nanoTime, wall), after - nanoTime);
  }

  /** The origin's wall-clock instant in nanoseconds since the Unix epoch. */
  public long originEpochNanos() {
    return Math.addExact(
        Math.multiplyExact(originWall.getEpochSecond(), 1_000_000_000L), originWall.getNano());
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
    return Math.addExact(originEpochNanos(), offsetNanos);
  }
}
