package io.inferscope.core;

/**
 * Why a request did not complete. A closed set: every failed request is counted under exactly one
 * of these, beside the latency figures, never dropped.
 */
public sealed interface Failure {

  /** Stable key for grouping and for JSON, e.g. {@code connect}, {@code http_500}. */
  String code();

  /** One line for a human, naming the cause. */
  String detail();

  /** Connection refused, DNS failure, TLS failure: nothing reached the server. */
  record Connect(String detail) implements Failure {
    @Override
    public String code() {
      return "connect";
    }
  }

  /** An HTTP error status other than load shedding, with an excerpt of the body. */
  record Http(int status, String bodyExcerpt) implements Failure {
    @Override
    public String code() {
      return "http_" + status;
    }

    @Override
    public String detail() {
      return "HTTP "
          + status
          + (bodyExcerpt == null || bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt);
    }
  }

  /**
   * The server refused the request for load (HTTP 429 or 503): shed, not broken.
   *
   * @param status the HTTP status
   * @param bodyExcerpt the start of the error body, or null
   * @param retryAfterNanos how long the server asked to wait ({@code Retry-After}), or null
   */
  record Shed(int status, String bodyExcerpt, Long retryAfterNanos) implements Failure {
    /** Shed without a {@code Retry-After}. */
    public Shed(int status, String bodyExcerpt) {
      this(status, bodyExcerpt, null);
    }

    @Override
    public String code() {
      return "shed_" + status;
    }

    @Override
    public String detail() {
      return "shed by server, HTTP "
          + status
          + (retryAfterNanos == null ? "" : " (Retry-After " + seconds(retryAfterNanos) + " s)")
          + (bodyExcerpt == null || bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt);
    }

    private static String seconds(long nanos) {
      return nanos % 1_000_000_000L == 0
          ? Long.toString(nanos / 1_000_000_000L)
          : String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }
  }

  /** The stream carried an {@code error} object (possibly after HTTP 200). */
  record StreamError(String message) implements Failure {
    @Override
    public String code() {
      return "stream_error";
    }

    @Override
    public String detail() {
      return "error event in stream: " + message;
    }
  }

  /** The stream ended with neither {@code [DONE]} nor a finish reason. */
  record Truncated(String detail) implements Failure {
    @Override
    public String code() {
      return "truncated";
    }
  }

  /** The stream broke the SSE or chunk JSON format. */
  record Malformed(String detail) implements Failure {
    @Override
    public String code() {
      return "malformed";
    }
  }

  /** A bounded wait ran out. */
  record Timeout(TimeoutPhase phase, long limitNanos) implements Failure {
    @Override
    public String code() {
      return "timeout_" + phase.code();
    }

    @Override
    public String detail() {
      return phase.code().replace('_', ' ') + " timeout after " + (limitNanos / 1_000_000) + " ms";
    }
  }

  /** The run stopped the request (Ctrl-C, or the run's time was up and drain ended). */
  record Cancelled(String detail) implements Failure {
    @Override
    public String code() {
      return "cancelled";
    }
  }

  /** A fault inside the client itself (should not happen; counted rather than hidden). */
  record Client(String detail) implements Failure {
    @Override
    public String code() {
      return "client";
    }
  }
}
