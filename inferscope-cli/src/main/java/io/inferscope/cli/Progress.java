package io.inferscope.cli;

import java.io.PrintWriter;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr, redrawn twice a second, so long runs show they are alive.
 * Off when stderr is not a terminal (logs stay clean).
 */
final class Progress implements AutoCloseable {
  private final PrintWriter err;
  private final Integer total;
  private final IntSupplier inFlight;
  private final LongSupplier done;
  private final LongSupplier failed;
  private final long startNanos = System.nanoTime();
  private final Thread ticker;
  private volatile boolean closed;

  private Progress(
      PrintWriter err,
      Integer total,
      IntSupplier inFlight,
      LongSupplier done,
      LongSupplier failed,
      boolean enabled) {
    this.err = err;
    this.total = total;
    this.inFlight = inFlight;
    this.done = done;
    this.failed = failed;
    if (enabled) {
      ticker = Thread.ofPlatform().daemon().name("inferscope-progress").start(this::loop);
    } else {
      ticker = null;
    }
  }

  /**
   * Starts the display (where {@code mode} and the terminal want it): requests {@code done} and
   * {@code failed} so far and {@code inFlight} now, read at each redraw. Read, not told: a callback
   * per request would be a second receiver at the load loop's call site, whose first the JIT
   * learned in the self-warm, and a large run's first seconds would compile that loop again.
   */
  static Progress start(
      OutputOptions.ProgressMode mode,
      PrintWriter err,
      Integer total,
      IntSupplier inFlight,
      LongSupplier done,
      LongSupplier failed) {
    boolean enabled =
        switch (mode) {
          case ON -> true;
          case OFF -> false;
          case AUTO -> System.console() != null && System.console().isTerminal();
        };
    return new Progress(err, total, inFlight, done, failed, enabled);
  }

  /** Prints a line for the user, above the progress line when there is one. */
  void note(String line) {
    synchronized (err) {
      if (ticker != null && !closed) {
        err.print("\r" + " ".repeat(72) + "\r");
      }
      err.println(line);
      err.flush();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (err) {
        if (!closed) {
          err.print("\r" + line() + "   ");
          err.flush();
        }
      }
    }
  }

  String line() {
    long secs = (System.nanoTime() - startNanos) / 1_000_000_000L;
    return String.format(
        java.util.Locale.ROOT,
        "[%dm%02ds] %d%s done · %d in flight · %d failed",
        secs / 60,
        secs % 60,
        done.getAsLong(),
        total == null ? "" : "/" + total,
        inFlight.getAsInt(),
        failed.getAsLong());
  }

  @Override
  public void close() {
    closed = true;
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.print("\r" + " ".repeat(72) + "\r");
      err.flush();
    }
  }
}
