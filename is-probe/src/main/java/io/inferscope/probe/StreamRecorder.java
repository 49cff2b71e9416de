package io.inferscope.probe;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.RunClock;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Usage;

/**
 * Accumulates what one response stream showed: every event with its kind and text length, the
 * usage, the server timings, the finish reason, and the first fault. Transport-independent: any
 * source of {@link SseEvent}s can feed it. Not thread-safe: one stream, one reader.
 *
 * <p>A malformed chunk or an error event does not stop the reading: the rest of the stream is still
 * recorded (its timing shows what the server did after the fault), and the request counts as failed
 * with the first fault seen.
 *
 * <p>An engine's own send stamp ({@code x_inferscope_sent_ns}, its {@link System#nanoTime()}) is
 * kept per event as a run-clock offset, and compares with the arrival only when both processes read
 * the same monotonic clock (one machine). A stamp after its arrival, or more than {@link
 * #MAX_PLAUSIBLE_DELAY_NANOS} before it, shows a different clock (another host): then no stamp of
 * that request is kept.
 */
final class StreamRecorder {
  /** Longest receive-minus-send delay still taken as read on the same clock. */
  static final long MAX_PLAUSIBLE_DELAY_NANOS = 60_000_000_000L;

  private final RunClock clock;
  private final EventLog.Builder events = new EventLog.Builder(64);
  private boolean stampsTrusted = true;
  private Usage usage;
  private ServerTimings timings;
  private String finishReason;
  private Failure failure;
  private boolean done;

  StreamRecorder(RunClock clock) {
    this.clock = clock;
  }

  /**
   * Records one event. Returns false once the stream is complete ({@code [DONE]}): nothing after it
   * is read, so a server that keeps the connection open after it costs no idle timeout.
   */
  boolean accept(SseEvent ev) {
    if (!ev.hasData() || ev.dataLength() == 0) {
      // A comment, or an event without data: keeps the connection alive, carries nothing.
      events.add(ev.atNanos(), ChunkKind.KEEP_ALIVE, 0);
      return true;
    }
    Chunk c = ChunkParser.parse(ev.data(), ev.dataOffset(), ev.dataLength());
    if ("error".equals(ev.type()) && c.errorMessage() == null) {
      // An "event: error" whose data is not an OpenAI error object: the data is the message.
      String message =
          Excerpts.oneLine(ev.data(), ev.dataOffset(), ev.dataLength(), Excerpts.MAX_CHARS);
      c = new Chunk(ChunkKind.ERROR, 0, 0, false, false, null, null, null, message, null, null);
    }
    return accept(ev.atNanos(), c);
  }

  /** Records one parsed chunk that arrived at {@code atNanos}; see {@link #accept(SseEvent)}. */
  boolean accept(long atNanos, Chunk c) {
    int textChars = c.kind().isText() ? c.textChars() : 0;
    if (c.sentNanos() != null && stampsTrusted) {
      long sent = clock.offsetNanos(c.sentNanos());
      long delay = atNanos - sent;
      if (delay >= 0 && delay <= MAX_PLAUSIBLE_DELAY_NANOS && sent != Long.MIN_VALUE) {
        events.addSent(atNanos, c.kind(), textChars, sent);
      } else {
        stampsTrusted = false;
        events.clearSentStamps();
        events.add(atNanos, c.kind(), textChars);
      }
    } else {
      events.add(atNanos, c.kind(), textChars);
    }
    if (c.kind() == ChunkKind.DONE) {
      done = true;
      return false;
    }
    if (c.isMalformed()) {
      fail(new Failure.Malformed("event " + events.size() + ": " + c.malformedDetail()));
      return true;
    }
    if (c.errorMessage() != null) {
      fail(new Failure.StreamError(Excerpts.oneLine(c.errorMessage(), Excerpts.MAX_CHARS)));
    }
    if (c.finishReason() != null) {
      finishReason = c.finishReason();
    }
    if (c.usage() != null) {
      usage = c.usage();
    }
    if (c.timings() != null) {
      timings = c.timings();
    }
    return true;
  }

  /** Records a fault; the first one is the request's failure. */
  void fail(Failure f) {
    if (failure == null) {
      failure = f;
    }
  }

  /**
   * Called when the stream ended on its own (end of body or {@code [DONE]}): a stream with neither
   * {@code [DONE]} nor a finish reason was cut short.
   */
  void endOfStream() {
    if (!done && finishReason == null) {
      fail(
          new Failure.Truncated(
              "stream ended after " + events.size() + " events without [DONE] or finish_reason"));
    }
  }

  int eventCount() {
    return events.size();
  }

  boolean sawDone() {
    return done;
  }

  String finishReason() {
    return finishReason;
  }

  Usage usage() {
    return usage;
  }

  ServerTimings timings() {
    return timings;
  }

  Failure failure() {
    return failure;
  }

  EventLog events() {
    return events.build();
  }
}
