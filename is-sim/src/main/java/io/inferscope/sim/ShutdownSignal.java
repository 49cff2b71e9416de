package io.inferscope.sim;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets stream threads wait for a deadline or for the engine's end. The engine interrupts its
 * connection threads when it closes, which wakes any wait here at once.
 */
final class ShutdownSignal {

  private volatile boolean closed;

  boolean isClosed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  /** Waits until {@link System#nanoTime()} reaches {@code deadlineNanos}. */
  void awaitDeadline(long deadlineNanos) throws InterruptedIOException {
    while (true) {
      checkOpen();
      long remainingNanos = deadlineNanos - System.nanoTime();
      if (remainingNanos <= 0) {
        return;
      }
      LockSupport.parkNanos(this, remainingNanos);
    }
  }

  /** Waits until the engine closes, then throws: the caller's stream is over. */
  void awaitClose() throws InterruptedIOException {
    while (true) {
      checkOpen();
      LockSupport.park(this);
    }
  }

  private void checkOpen() throws InterruptedIOException {
    if (closed || Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("engine closed");
    }
  }
}
