package io.inferscope.core;

import java.util.List;

/**
 * How many measured requests met every {@link Slo}: the share of the load the engine served well
 * enough, and the rate at which it did. A request that failed (shed, timed out, broke off) meets no
 * SLO. Derived once, in {@link RunAnalysis}.
 *
 * @param slo the objectives
 * @param requests measured requests (ok and failed)
 * @param met requests that completed and met every bound
 * @param metRatio {@code met / requests}; null when no request was measured
 * @param metPerSecond {@code met} over the measured window; null when the window is empty
 * @param missed why requests missed, most common first; a request that missed several bounds counts
 *     once under each
 */
public record Goodput(
    Slo slo, int requests, int met, Double metRatio, Double metPerSecond, List<Miss> missed) {

  public Goodput {
    missed = List.copyOf(missed);
  }

  /** What a request can miss. */
  public enum Objective {
    /** The request did not complete. */
    FAILED,
    TTFT,
    TPOT,
    E2E
  }

  /**
   * @param objective what was missed
   * @param requests measured requests that missed it
   */
  public record Miss(Objective objective, int requests) {}

  /** The objective missed by the most requests, or null when every request met the SLO. */
  public Objective mostMissed() {
    return missed.isEmpty() ? null : missed.getFirst().objective();
  }

  /**
   * What one measured request missed of {@code slo}: empty when it met every bound, {@link
   * Objective#FAILED} alone when it did not complete. Pure.
   */
  public static java.util.Set<Objective> misses(Slo slo, MeasuredRequest r) {
    java.util.Set<Objective> out = java.util.EnumSet.noneOf(Objective.class);
    if (!r.ok()) {
      out.add(Objective.FAILED);
      return out;
    }
    RequestMetrics m = r.metrics();
    if (slo.ttftNanos() != null
        && (m.ttftFromIntendedNanos() == null || m.ttftFromIntendedNanos() > slo.ttftNanos())) {
      // A completed request with no text never gave its user a first token.
      out.add(Objective.TTFT);
    }
    if (slo.tpotNanos() != null && m.tpotNanos() != null && m.tpotNanos() > slo.tpotNanos()) {
      out.add(Objective.TPOT);
    }
    if (slo.e2eNanos() != null && m.e2eFromIntendedNanos() > slo.e2eNanos()) {
      out.add(Objective.E2E);
    }
    return out;
  }

  /** Goodput of {@code measured} under {@code slo}, or null without an SLO. Pure. */
  public static Goodput of(Slo slo, List<MeasuredRequest> measured, MeasuredWindow window) {
    if (slo == null) {
      return null;
    }
    int[] misses = new int[Objective.values().length];
    int met = 0;
    for (MeasuredRequest r : measured) {
      java.util.Set<Objective> missedBy = misses(slo, r);
      for (Objective o : missedBy) {
        misses[o.ordinal()]++;
      }
      if (missedBy.isEmpty()) {
        met++;
      }
    }
    List<Miss> missed = new java.util.ArrayList<>();
    for (Objective o : Objective.values()) {
      if (misses[o.ordinal()] > 0) {
        missed.add(new Miss(o, misses[o.ordinal()]));
      }
    }
    // Most common first; ties keep the declared order (failed, ttft, tpot, e2e).
    missed.sort(java.util.Comparator.comparingInt(Miss::requests).reversed());
    int n = measured.size();
    Double ratio = n == 0 ? null : met / (double) n;
    Double rate =
        window == null || window.lengthNanos() <= 0 ? null : met * 1e9 / window.lengthNanos();
    return new Goodput(slo, n, met, ratio, rate, missed);
  }
}
