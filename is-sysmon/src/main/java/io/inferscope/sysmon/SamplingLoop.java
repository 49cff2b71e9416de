package io.inferscope.sysmon;

import io.inferscope.core.RunClock;
import io.inferscope.core.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The one lifecycle every sampler runs under: a dedicated daemon platform thread reads the sampler
 * at absolute deadlines {@code start + k * period} on the run clock, the first read at once. A read
 * that overruns its period skips the ticks it missed rather than bursting to catch up, so the
 * samples never bunch. A read that fails is counted and the loop goes on; {@link
 * TargetGoneException} ends the loop, keeping the samples taken. The sampler is read and closed on
 * the loop's thread only.
 *
 * @param <S> the sample type
 */
public final class SamplingLoop<S> {

  /** How long {@link #stop()} waits for a read in progress before interrupting it. */
  private static final Duration JOIN_GRACE = Duration.ofSeconds(5);

  private final Sampler<S> sampler;
  private final String source;
  private final RunClock clock;
  private final long periodNanos;
  private final Consumer<String> onTargetGone;
  private final boolean firstAfterPeriod;
  private final Thread thread;
  private final List<S> samples = new ArrayList<>();
  private final AtomicInteger failedReads = new AtomicInteger();
  private volatile String firstFailure;
  private volatile String stopReason;
  private volatile boolean stopping;
  private Timeline<S> stopped; // guarded by this

  private SamplingLoop(
      Sampler<S> sampler,
      RunClock clock,
      Duration period,
      Consumer<String> onTargetGone,
      boolean firstAfterPeriod) {
    this.sampler = sampler;
    this.firstAfterPeriod = firstAfterPeriod;
    this.source = sampler.source();
    this.clock = clock;
    this.periodNanos = period.toNanos();
    this.onTargetGone = onTargetGone;
    this.thread =
        Thread.ofPlatform().name("inferscope-sampler-" + source).daemon(true).unstarted(this::run);
  }

  /**
   * Starts sampling now.
   *
   * @param onTargetGone called once, from the loop's thread, with the message of the {@link
   *     TargetGoneException} that ended the loop; may be null
   */
  public static <S> SamplingLoop<S> start(
      Sampler<S> sampler, RunClock clock, Duration period, Consumer<String> onTargetGone) {
    return start(sampler, clock, period, onTargetGone, false);
  }

  /**
   * Starts sampling one period from now: for a caller that has just read the sampler itself (e.g.
   * to tell whether there is anything to sample).
   */
  public static <S> SamplingLoop<S> startAfter(
      Sampler<S> sampler, RunClock clock, Duration period, Consumer<String> onTargetGone) {
    return start(sampler, clock, period, onTargetGone, true);
  }

  private static <S> SamplingLoop<S> start(
      Sampler<S> sampler,
      RunClock clock,
      Duration period,
      Consumer<String> onTargetGone,
      boolean firstAfterPeriod) {
    if (sampler == null || clock == null || period == null) {
      throw new IllegalArgumentException("sampler, clock and period are required");
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("sampling period must be positive: " + period);
    }
    SamplingLoop<S> loop =
        new SamplingLoop<>(sampler, clock, period, onTargetGone, firstAfterPeriod);
    loop.thread.start();
    return loop;
  }

  /**
   * Stops the loop, waits for it to end, and returns what it sampled. The sampler is closed once
   * the loop has ended. Idempotent: later calls return the same timeline.
   */
  public Timeline<S> stop() {
    stopping = true;
    LockSupport.unpark(thread);
    // Called from onTargetGone, the loop is already ending: joining itself would never return.
    if (Thread.currentThread() != thread) {
      join();
    }
    synchronized (this) {
      if (stopped == null) {
        stopped = new Timeline<>(source, periodNanos, samplesSoFar(), null);
      }
      return stopped;
    }
  }

  /** Reads that failed with an ordinary exception (not counting the one that ended the loop). */
  public int failedReads() {
    return failedReads.get();
  }

  /** The first failed read, as {@code ExceptionClass: message}, or null when none failed. */
  public String firstFailure() {
    return firstFailure;
  }

  /** Why the loop ended by itself (the target-gone message), or null. */
  public String stopReason() {
    return stopReason;
  }

  /** A copy of the samples taken so far, oldest first. */
  public List<S> samplesSoFar() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  private void run() {
    try {
      long start = clock.nowNanos();
      long tick = 0;
      if (firstAfterPeriod) {
        tick = 1;
        sleepUntil(start + periodNanos);
      }
      while (!stopping) {
        if (!readOnce()) {
          return;
        }
        // The next deadline strictly after now: after an overrun, the missed ticks are skipped.
        long now = clock.nowNanos();
        tick = Math.max(tick + 1, (now - start) / periodNanos + 1);
        sleepUntil(start + tick * periodNanos);
      }
    } finally {
      sampler.close();
    }
  }

  /** One read; false when the target is gone and the loop must end. */
  private boolean readOnce() {
    try {
      S sample = sampler.sample(clock);
      if (sample == null) {
        throw new IllegalStateException(source + " sampler returned no sample");
      }
      synchronized (samples) {
        samples.add(sample);
      }
      return true;
    } catch (TargetGoneException e) {
      stopReason = e.getMessage();
      if (onTargetGone != null) {
        onTargetGone.accept(e.getMessage());
      }
      return false;
    } catch (Exception e) {
      if (failedReads.getAndIncrement() == 0) {
        firstFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      return true;
    }
  }

  private void sleepUntil(long deadlineNanos) {
    // parkNanos may return early (unpark from stop, spurious wake-ups): re-check the deadline.
    while (!stopping) {
      long wait = deadlineNanos - clock.nowNanos();
      if (wait <= 0) {
        return;
      }
      LockSupport.parkNanos(this, wait);
    }
  }

  private void join() {
    boolean interrupted = false;
    try {
      try {
        if (thread.join(JOIN_GRACE)) {
          return;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
      // A read is stuck (a hung device call): interrupt it and give it a moment more. If it still
      // does not end, the loop closes the sampler whenever the read returns.
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
