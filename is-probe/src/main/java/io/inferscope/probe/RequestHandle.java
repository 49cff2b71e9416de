package io.inferscope.probe;

import io.inferscope.core.Failure;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The control side of one request in flight: who may cancel it and why, which phase it reached (to
 * tell a connect timeout from a read timeout), and when its response headers arrived. The request's
 * exchange updates it on its event loop; the run and the first-byte deadline call it from theirs.
 */
final class RequestHandle {
  /** Phases of the request, in order. */
  static final int BEFORE_CONNECT = 0;

  static final int CONNECTING = 1;
  static final int CONNECTED = 2;
  static final int HEADERS = 3;

  private static final int HEADERS_PENDING = 0;
  private static final int HEADERS_ARRIVED = 1;
  private static final int FIRST_BYTE_MISSED = 2;

  /** What a cancellation stops: the request's exchange. */
  @FunctionalInterface
  interface Target {
    /** Stops the exchange; its reason is {@link #cancelFailure()}. Safe from any thread. */
    void cancel();
  }

  private final AtomicReference<Failure> cancelFailure = new AtomicReference<>();
  private final AtomicInteger headerRace = new AtomicInteger(HEADERS_PENDING);
  private volatile Target target;
  private volatile int phase = BEFORE_CONNECT;
  private volatile long headersAtNanos = Long.MIN_VALUE;
  private volatile boolean pooledConnection;

  RequestHandle() {}

  /** Binds the exchange; cancels it at once when the request was cancelled before it had one. */
  void attach(Target t) {
    target = t;
    if (cancelFailure.get() != null) {
      t.cancel();
    }
  }

  /**
   * Cancels the request, recording why; the first reason wins. Safe from any thread, before or
   * after {@link #attach}.
   */
  void cancel(Failure why) {
    if (cancelFailure.compareAndSet(null, why)) {
      Target t = target;
      if (t != null) {
        t.cancel();
      }
    }
  }

  /**
   * The first-byte deadline: cancels the request unless its headers arrived first. Exactly one of
   * this and the headers' arrival wins, so a response is never both on time and timed out.
   */
  void firstByteDeadline(Failure.Timeout why) {
    if (headerRace.compareAndSet(HEADERS_PENDING, FIRST_BYTE_MISSED)) {
      cancel(why);
    }
  }

  /**
   * Marks the headers arrived at {@code atNanos} (run clock); false when the first-byte deadline
   * had already passed.
   */
  boolean headersArrived(long atNanos) {
    if (headersAtNanos == Long.MIN_VALUE) {
      headersAtNanos = atNanos;
    }
    phase = HEADERS;
    return headerRace.compareAndSet(HEADERS_PENDING, HEADERS_ARRIVED)
        || headerRace.get() == HEADERS_ARRIVED;
  }

  /** Why the request was cancelled, or null when it was not. */
  Failure cancelFailure() {
    return cancelFailure.get();
  }

  int phase() {
    return phase;
  }

  void phase(int p) {
    phase = p;
  }

  /** When the response headers arrived (run-clock offset), or null. */
  Long headersAtNanos() {
    long t = headersAtNanos;
    return t == Long.MIN_VALUE ? null : t;
  }

  /** Whether the current attempt runs on a connection taken from the pool (not opened for it). */
  boolean onPooledConnection() {
    return pooledConnection;
  }

  void pooledConnection(boolean pooled) {
    pooledConnection = pooled;
  }

  /** Forgets the failed attempt's connection state before a retry on a new connection. */
  void beforeRetry() {
    phase = BEFORE_CONNECT;
    pooledConnection = false;
  }
}
