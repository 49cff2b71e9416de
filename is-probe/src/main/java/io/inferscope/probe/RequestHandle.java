package io.inferscope.probe;

import io.inferscope.core.Failure;
import io.inferscope.core.RunClock;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * The control side of one request in flight: who may cancel it and why, which phase it reached (to
 * tell a connect timeout from a read timeout), and when its response headers arrived. OkHttp calls
 * it as the request's {@link EventListener}, on the request's thread; the run and the first-byte
 * watchdog call it from theirs.
 */
final class RequestHandle extends EventListener {
  /** Phases of the request, in order. */
  static final int BEFORE_CONNECT = 0;

  static final int CONNECTING = 1;
  static final int CONNECTED = 2;
  static final int HEADERS = 3;

  private static final int HEADERS_PENDING = 0;
  private static final int HEADERS_ARRIVED = 1;
  private static final int FIRST_BYTE_MISSED = 2;

  private final RunClock clock;
  private final AtomicReference<Failure> cancelFailure = new AtomicReference<>();
  private final AtomicInteger headerRace = new AtomicInteger(HEADERS_PENDING);
  private volatile Call call;
  private volatile int phase = BEFORE_CONNECT;
  private volatile long headersAtNanos = Long.MIN_VALUE;
  private volatile boolean connectedFresh;
  private volatile boolean pooledConnection;
  private volatile java.net.Socket socket;

  RequestHandle(RunClock clock) {
    this.clock = clock;
  }

  /** Binds the OkHttp call; cancels it at once when the request was cancelled before it had one. */
  void attach(Call c) {
    call = c;
    if (cancelFailure.get() != null) {
      c.cancel();
    }
  }

  /**
   * Cancels the request, recording why; the first reason wins. Safe from any thread, before or
   * after {@link #attach}.
   */
  void cancel(Failure why) {
    if (cancelFailure.compareAndSet(null, why)) {
      Call c = call;
      if (c != null) {
        c.cancel();
      }
    }
  }

  /**
   * The first-byte watchdog: cancels the request unless its headers arrived first. Exactly one of
   * this and the headers' arrival wins, so a response is never both on time and timed out.
   */
  void firstByteDeadline(Failure.Timeout why) {
    if (headerRace.compareAndSet(HEADERS_PENDING, FIRST_BYTE_MISSED)) {
      cancel(why);
    }
  }

  /** Marks the headers arrived; false when the first-byte deadline had already passed. */
  boolean headersArrived() {
    if (headersAtNanos == Long.MIN_VALUE) {
      headersAtNanos = clock.nowNanos();
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

  /** When the response headers arrived (run-clock offset), or null. */
  Long headersAtNanos() {
    long t = headersAtNanos;
    return t == Long.MIN_VALUE ? null : t;
  }

  /** Whether the current attempt runs on a connection taken from the pool (not opened for it). */
  boolean onPooledConnection() {
    return pooledConnection;
  }

  /** Forgets the failed attempt's connection state before a retry on a new call. */
  void beforeRetry() {
    phase = BEFORE_CONNECT;
    connectedFresh = false;
    pooledConnection = false;
  }

  @Override
  public void connectStart(Call c, InetSocketAddress address, Proxy proxy) {
    connectedFresh = true;
    phase = CONNECTING;
  }

  @Override
  public void connectEnd(Call c, InetSocketAddress address, Proxy proxy, Protocol protocol) {
    phase = CONNECTED;
  }

  @Override
  public void connectionAcquired(Call c, Connection connection) {
    // A pooled connection skips connectStart and connectEnd.
    pooledConnection = !connectedFresh;
    phase = CONNECTED;
    socket = connection.socket();
  }

  /** The socket of the current attempt's connection, or null before one was acquired. */
  java.net.Socket socket() {
    return socket;
  }

  @Override
  public void responseHeadersEnd(Call c, Response response) {
    // Stamped here, inside the exchange, rather than when execute() returns to us.
    headersAtNanos = clock.nowNanos();
  }
}
