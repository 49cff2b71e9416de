package io.inferscope.core;

import java.util.List;

/**
 * One run as measured: its settings, its clock, and every request trace. Derived figures are not
 * stored here; {@link RunMetrics#of} recomputes them, so a saved run can always be re-derived.
 *
 * @param meta what was run
 * @param clock the run's clock (origin of every offset)
 * @param traces every request, warm-up included, in id order
 * @param endNanos when the run ended
 * @param partial whether the run was cut short (interrupted, engine lost)
 * @param stopReason why it was cut short, or null
 * @param hardware the engine's process tree and GPUs sampled on the same clock
 * @param client what inferscope itself cost during the run, or null when not measured
 */
public record RunResult(
    RunMeta meta,
    RunClock clock,
    List<RequestTrace> traces,
    long endNanos,
    boolean partial,
    String stopReason,
    HardwareSamples hardware,
    ClientOverhead client) {

  public RunResult {
    traces = List.copyOf(traces);
    if (hardware == null) {
      hardware = HardwareSamples.none();
    }
  }

  /** A run with no hardware sampled. */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason) {
    this(meta, clock, traces, endNanos, partial, stopReason, HardwareSamples.none(), null);
  }

  /** A run whose client overhead was not measured. */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason,
      HardwareSamples hardware) {
    this(meta, clock, traces, endNanos, partial, stopReason, hardware, null);
  }

  public RunMetrics metrics() {
    return RunMetrics.of(traces);
  }
}
