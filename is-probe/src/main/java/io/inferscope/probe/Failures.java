package io.inferscope.probe;

import io.inferscope.core.Failure;
import io.inferscope.core.TimeoutPhase;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Maps what went wrong with a request to exactly one {@link Failure}. */
final class Failures {
  private Failures() {}

  /** HTTP 429 and 503 are load shedding; every other error status is a plain HTTP failure. */
  static Failure ofStatus(int status, String bodyExcerpt) {
    return ofStatus(status, bodyExcerpt, null, null);
  }

  /**
   * As {@link #ofStatus(int, String)}, with the shed request's {@code Retry-After} (seconds, or an
   * HTTP date read against {@code now}) kept.
   */
  static Failure ofStatus(
      int status, String bodyExcerpt, String retryAfter, java.time.Instant now) {
    return status == 429 || status == 503
        ? new Failure.Shed(status, bodyExcerpt, retryAfterNanos(retryAfter, now))
        : new Failure.Http(status, bodyExcerpt);
  }

  /** A {@code Retry-After} value as a wait in nanoseconds, or null when absent or unreadable. */
  static Long retryAfterNanos(String value, java.time.Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 || seconds > 86_400 ? null : seconds * 1_000_000_000L;
    } catch (NumberFormatException e) {
      // an HTTP date
    }
    try {
      java.time.Instant at =
          java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      long nanos =
          java.time.Duration.between(now == null ? java.time.Instant.now() : now, at).toNanos();
      return Math.clamp(nanos, 0, 86_400L * 1_000_000_000L);
    } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  /**
   * The failure an I/O exception means, given how far the request got. Our own cancellation (run
   * stop, drain end, first-byte watchdog) is decided by the caller before this, from the handle.
   *
   * @param phase the {@link RequestHandle} phase reached
   * @param events events read so far (body phase)
   */
  static Failure ofException(Exception e, int phase, int events, Timeouts timeouts) {
    // OkHttp's call timeout surfaces as a bare InterruptedIOException("timeout"); socket read and
    // connect timeouts are its subclass SocketTimeoutException.
    if (e instanceof InterruptedIOException
        && !(e instanceof SocketTimeoutException)
        && "timeout".equals(e.getMessage())) {
      return new Failure.Timeout(TimeoutPhase.TOTAL, timeouts.total().toNanos());
    }
    if (e instanceof SocketTimeoutException) {
      if (phase <= RequestHandle.CONNECTING || isConnectTimeout(e)) {
        return new Failure.Timeout(TimeoutPhase.CONNECT, timeouts.connect().toNanos());
      }
      if (phase == RequestHandle.HEADERS) {
        return new Failure.Timeout(TimeoutPhase.IDLE, timeouts.idle().toNanos());
      }
      return new Failure.Timeout(TimeoutPhase.FIRST_BYTE, timeouts.firstByte().toNanos());
    }
    if (phase == RequestHandle.HEADERS) {
      return new Failure.Truncated("connection lost after " + events + " events: " + describe(e));
    }
    if (phase <= RequestHandle.CONNECTING || isConnectFault(e)) {
      return new Failure.Connect(connectDetail(e));
    }
    if (e instanceof ProtocolException) {
      return new Failure.Malformed("invalid HTTP response: " + describe(e));
    }
    return new Failure.Truncated("connection closed before the response headers: " + describe(e));
  }

  private static boolean isConnectTimeout(Exception e) {
    String m = e.getMessage();
    return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("connect timed out");
  }

  private static boolean isConnectFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof PortUnreachableException
          || t instanceof SSLHandshakeException
          || t instanceof SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  private static String connectDetail(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host: " + t.getMessage();
      }
    }
    String outer = describe(e);
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !outer.contains(root.getMessage())) {
      return outer + ": " + Excerpts.oneLine(root.getMessage(), 100);
    }
    return outer;
  }

  /** The exception as one line: its message, or its class when it has none. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank()
        ? e.getClass().getSimpleName()
        : Excerpts.oneLine(m, Excerpts.MAX_CHARS);
  }

  /** A fault of the client itself: the class says what kind, the message why. */
  static Failure.Client client(Throwable t) {
    String m = t.getMessage();
    return new Failure.Client(
        t.getClass().getName()
            + (m == null || m.isBlank() ? "" : ": " + Excerpts.oneLine(m, Excerpts.MAX_CHARS)));
  }
}
