package io.inferscope.core;

/**
 * Everything the client saw of one request. All times are nanoseconds from the run clock's origin.
 * Absent values are null, never 0.
 *
 * @param id sequence number in the run, from 0
 * @param warmup whether the request was a warm-up request (excluded from metrics)
 * @param intendedNanos when the schedule meant to send it (coordinated omission: latency from here
 *     includes time the client could not send because it was busy or behind)
 * @param sendNanos when the request was actually handed to the connection
 * @param headersNanos when the response headers arrived, or null if they never did
 * @param endNanos when the request ended: stream closed, failed, or cancelled
 * @param httpStatus the response status, or null if none arrived
 * @param events every SSE event with its arrival time
 * @param usage the server's {@code usage}, or null
 * @param serverTimings the server's own timings, or null
 * @param finishReason the last {@code finish_reason} seen, or null
 * @param failure why the request failed, or null when it completed
 */
public record RequestTrace(
    int id,
    boolean warmup,
    long intendedNanos,
    long sendNanos,
    Long headersNanos,
    long endNanos,
    Integer httpStatus,
    EventLog events,
    Usage usage,
    ServerTimings serverTimings,
    String finishReason,
    Failure failure) {

  public RequestTrace {
    if (events == null) {
      throw new IllegalArgumentException("events is required (use EventLog.empty())");
    }
    if (sendNanos < intendedNanos) {
      throw new IllegalArgumentException("sendNanos before intendedNanos");
    }
    if (endNanos < sendNanos) {
      throw new IllegalArgumentException("endNanos before sendNanos");
    }
  }

  public boolean ok() {
    return failure == null;
  }
}
