package io.inferscope.sim;

import java.time.Duration;
import java.util.Random;

/**
 * When each token of one response is due, in nanoseconds after the request's arrival. Deadlines are
 * absolute offsets, so that waiting for each one never accumulates drift.
 */
final class TokenSchedule {

  private final long ttftNanos;
  private final long[] dueNanos;

  private TokenSchedule(long ttftNanos, long[] dueNanos) {
    this.ttftNanos = ttftNanos;
    this.dueNanos = dueNanos;
  }

  /** Plans {@code tokens} tokens; the jitter is drawn from a generator seeded per request. */
  static TokenSchedule plan(SimConfig config, int tokens, long requestIndex) {
    long ttftNanos = nanos(config.ttft());
    long gapNanos = nanos(config.interTokenGap());
    long jitterNanos = nanos(config.jitter());
    Random random = new Random(config.seed() + requestIndex);
    long[] due = new long[tokens];
    long at = ttftNanos;
    for (int i = 0; i < tokens; i++) {
      if (i > 0) {
        long deviation =
            jitterNanos == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * jitterNanos);
        at += Math.max(0, gapNanos + deviation);
      }
      due[i] = at;
    }
    return new TokenSchedule(ttftNanos, due);
  }

  int tokens() {
    return dueNanos.length;
  }

  long ttftNanos() {
    return ttftNanos;
  }

  /** When token {@code index} (0-based) is due. */
  long dueNanos(int index) {
    return dueNanos[index];
  }

  /** When the response is complete: the last token, or the TTFT when there are no tokens. */
  long endNanos() {
    return dueNanos.length == 0 ? ttftNanos : dueNanos[dueNanos.length - 1];
  }

  /** From the first token to the last: the decode phase (llama.cpp's {@code predicted_ms}). */
  long decodeNanos() {
    return dueNanos.length < 2 ? 0 : dueNanos[dueNanos.length - 1] - dueNanos[0];
  }

  private static long nanos(Duration duration) {
    return duration == null || duration.isNegative() ? 0 : duration.toNanos();
  }
}
