package io.inferscope.core;

/**
 * Service-level objectives a request must meet to count as good: each bound is inclusive, and null
 * when not set. At least one is set.
 *
 * <p>TTFT and E2E are measured from the request's intended send time, as its user waits: a request
 * the client could not send on time (open loop, all slots busy) does not meet an SLO its late send
 * would hide. TPOT is the request's mean time per output token after the first ({@link
 * RequestMetrics#tpotNanos}); a request with fewer than two tokens has none and cannot miss it.
 *
 * @param ttftNanos largest time to first token
 * @param tpotNanos largest mean time per output token after the first
 * @param e2eNanos largest time from intended send to the end of the request
 */
public record Slo(Long ttftNanos, Long tpotNanos, Long e2eNanos) {

  public Slo {
    if (ttftNanos == null && tpotNanos == null && e2eNanos == null) {
      throw new IllegalArgumentException("an SLO needs at least one of ttft, tpot and e2e");
    }
    for (Long v : new Long[] {ttftNanos, tpotNanos, e2eNanos}) {
      if (v != null && v <= 0) {
        throw new IllegalArgumentException("SLO bounds must be positive: " + v);
      }
    }
  }
}
