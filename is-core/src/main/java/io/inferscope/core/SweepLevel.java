package io.inferscope.core;

import java.util.Map;

/**
 * One level of a load sweep, in the figures a sweep compares: taken from the level's own {@link
 * RunAnalysis} ({@link RunMetrics}, {@link Goodput}) as they are, so the sweep and the level's run
 * report never disagree. Absent figures are null.
 *
 * @param value the level: requests in flight ({@link SweepAxis#CONCURRENCY}) or requests per second
 *     ({@link SweepAxis#RATE})
 * @param partial whether the level's run was cut short (interrupted, engine lost); its figures
 *     cover less than the level, so {@link SweepAnalysis} does not judge the knee on it
 * @param requests measured requests (warm-up excluded)
 * @param ok requests that completed
 * @param shed requests the engine refused for load ({@link Failure.Shed}: HTTP 429 or 503)
 * @param timeouts requests whose bounded wait ran out ({@link Failure.Timeout})
 * @param errors every other failure, cancelled ones excluded
 * @param cancelled requests the run itself stopped
 * @param failuresByCode count per {@link Failure#code()}, cancelled included ({@link
 *     RunMetrics#failuresByCode})
 * @param completenessPercent ok / requests * 100; null when no request was measured
 * @param windowNanos the level's measured window, or null when no request was measured
 * @param requestsPerSecond completed requests per second over the measured window
 * @param outputTokensPerSecond output tokens of completed requests per second over the window
 * @param ttftP50Nanos TTFT p50 of completed requests ({@link RunMetrics#ttftNanos})
 * @param ttftP90Nanos TTFT p90
 * @param ttftP99Nanos TTFT p99
 * @param itlP50Nanos chunk inter-token latency p50: gaps between text events ({@link
 *     RunMetrics#chunkItlNanos})
 * @param itlP99Nanos chunk inter-token latency p99
 * @param tpotP50Nanos time per output token after the first, p50 over requests ({@link
 *     RunMetrics#tpotNanos})
 * @param tpotP99Nanos time per output token, p99
 * @param e2eP50Nanos send to end, p50 of completed requests
 * @param e2eP99Nanos send to end, p99
 * @param goodputRatio share of measured requests that met the SLO, 0 to 1; null without an SLO
 * @param goodputPerSecond requests that met the SLO per second; null without an SLO
 * @param goodputMostMissed the objective most requests missed; null without an SLO or when every
 *     request met it
 * @param sendLagP99Nanos actual minus intended send time, p99 over every measured request: how late
 *     the client sent
 */
public record SweepLevel(
    double value,
    boolean partial,
    int requests,
    int ok,
    int shed,
    int timeouts,
    int errors,
    int cancelled,
    Map<String, Integer> failuresByCode,
    Double completenessPercent,
    Long windowNanos,
    Double requestsPerSecond,
    Double outputTokensPerSecond,
    Double ttftP50Nanos,
    Double ttftP90Nanos,
    Double ttftP99Nanos,
    Double itlP50Nanos,
    Double itlP99Nanos,
    Double tpotP50Nanos,
    Double tpotP99Nanos,
    Double e2eP50Nanos,
    Double e2eP99Nanos,
    Double goodputRatio,
    Double goodputPerSecond,
    Goodput.Objective goodputMostMissed,
    Double sendLagP99Nanos) {

  public SweepLevel {
    // Sorted by code, so every report lists them in the same order.
    failuresByCode = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(failuresByCode));
  }

  /** The level's figures from its analysis. Pure. */
  public static SweepLevel of(double value, RunAnalysis a) {
    RunMetrics m = a.metrics();
    int shed = 0;
    int timeouts = 0;
    for (MeasuredRequest r : a.requests()) {
      switch (r.trace().failure()) {
        case Failure.Shed _ -> shed++;
        case Failure.Timeout _ -> timeouts++;
        case null, default -> {}
      }
    }
    Goodput g = a.goodput();
    return new SweepLevel(
        value,
        a.run().partial(),
        m.requests(),
        m.ok(),
        shed,
        timeouts,
        // RunMetrics.failed already leaves the cancelled out.
        m.failed() - shed - timeouts,
        m.cancelled(),
        m.failuresByCode(),
        m.completenessPercent(),
        m.windowNanos(),
        m.requestsPerSecond(),
        m.outputTokensPerSecond(),
        p50(m.ttftNanos()),
        m.ttftNanos() == null ? null : m.ttftNanos().p90(),
        p99(m.ttftNanos()),
        p50(m.chunkItlNanos()),
        p99(m.chunkItlNanos()),
        p50(m.tpotNanos()),
        p99(m.tpotNanos()),
        p50(m.e2eNanos()),
        p99(m.e2eNanos()),
        g == null ? null : g.metRatio(),
        g == null ? null : g.metPerSecond(),
        g == null ? null : g.mostMissed(),
        p99(m.sendLagNanos()));
  }

  private static Double p50(Summary s) {
    return s == null ? null : s.p50();
  }

  private static Double p99(Summary s) {
    return s == null ? null : s.p99();
  }
}
