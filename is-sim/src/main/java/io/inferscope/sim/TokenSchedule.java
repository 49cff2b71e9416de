package io.inferscope.sim;

import java.time.Duration;
import java.util.Random;

/**
 * When each token of one response is due, in nanoseconds after the request's arrival. Deadlines are
 * absolute offsets, so that waiting for each one never accumulates drift.
 *
 * <p>A planned schedule ({@link #plan}) is whole from the start. An open one ({@link #open}), for
 * the capacity model, is decided as the engine runs: first when the request gets its slot, then
 * each token's due time when the decode step that makes it starts. {@link #known()} says how far it
 * is decided; it is written by the capacity model's thread and read by the streamers'.
 */
final class TokenSchedule {

  private final long prefillNanos;
  private final long[] dueNanos;

  /** When the prefill started, after arrival: 0 but for a request that waited for a slot. */
  private long queuedNanos;

  /** -1 before the request has a slot, else how many tokens' due times are set. */
  private volatile int known;

  private TokenSchedule(long prefillNanos, long[] dueNanos, int known) {
    this.prefillNanos = prefillNanos;
    this.dueNanos = dueNanos;
    this.known = known;
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
    return new TokenSchedule(ttftNanos, due, tokens);
  }

  /**
   * A schedule of {@code tokens} tokens that the capacity model decides, with a prefill of {@code
   * ttft + prefillPerToken × promptTokens}.
   */
  static TokenSchedule open(SimConfig config, int tokens, int promptTokens) {
    long perTokenNanos = nanos(config.prefillPerToken());
    // Saturates rather than overflows: a prefill of centuries is as good as endless.
    long promptNanos =
        promptTokens == 0 || perTokenNanos <= Long.MAX_VALUE / 4 / promptTokens
            ? perTokenNanos * promptTokens
            : Long.MAX_VALUE / 4;
    return new TokenSchedule(nanos(config.ttft()) + promptNanos, new long[tokens], -1);
  }

  /** The request got its slot {@code queuedNanos} after it arrived: its prefill starts. */
  void slotted(long queuedNanos) {
    this.queuedNanos = queuedNanos;
    known = 0;
  }

  /** Token {@code index} is due {@code atNanos} after arrival; tokens are decided in order. */
  void decide(int index, long atNanos) {
    dueNanos[index] = atNanos;
    known = index + 1;
  }

  /** -1 before the request has a slot, else how many tokens' due times are decided. */
  int known() {
    return known;
  }

  int tokens() {
    return dueNanos.length;
  }

  /** From the slot to the first token: the TTFT when no request waited or shared the engine. */
  long prefillNanos() {
    return prefillNanos;
  }

  /** From arrival to the slot: 0 unless the request waited for one. */
  long queuedNanos() {
    return queuedNanos;
  }

  /** When token {@code index} (0-based) is due. */
  long dueNanos(int index) {
    return dueNanos[index];
  }

  /**
   * When the first {@code count} tokens are out: the last of them is due, or the prefill ends for
   * none. Decided once {@link #known()} is at least {@code count}.
   */
  long afterNanos(int count) {
    return count == 0 ? queuedNanos + prefillNanos : dueNanos[count - 1];
  }

  /** When the response is complete: the last token, or the end of the prefill when none. */
  long endNanos() {
    return afterNanos(dueNanos.length);
  }

  /**
   * From the first token to the last: the decode phase (llama.cpp's {@code predicted_ms}). Of an
   * open schedule, as far as it is decided (a response cut short by a fault).
   */
  long decodeNanos() {
    int decided = Math.min(known, dueNanos.length);
    return decided < 2 ? 0 : dueNanos[decided - 1] - dueNanos[0];
  }

  private static long nanos(Duration duration) {
    return duration == null || duration.isNegative() ? 0 : duration.toNanos();
  }
}
