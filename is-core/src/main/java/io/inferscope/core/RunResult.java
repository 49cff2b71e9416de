package io.inferscope.core;

import java.util.List;

/**
 * One run as measured: its settings, its clock, every request trace, the hardware samples and the
 * facts recorded on the way. Raw data only: {@link RunAnalysis#of} derives every figure from it,
 * once, for every report.
 *
 * @param meta what was run
 * @param clock the run's clock (origin of every offset)
 * @param traces every request, warm-up included, in id order
 * @param endNanos when the run ended
 * @param partial whether the run was cut short (interrupted, engine lost)
 * @param stopReason why it was cut short, or null
 * @param hardware the engine's process tree and GPUs sampled on the same clock ({@link
 *     HardwareSamples#none()} for none)
 * @param client what inferscope itself cost during the run, or null when not measured
 * @param facts typed facts the run recorded ({@link RunFacts#none()} for none)
 * @param engineMetrics the engine's own {@code /metrics} scraped on the same clock, or why none
 *     were ({@link EngineMetrics#unavailable} when not read)
 */
public record RunResult(
    RunMeta meta,
    RunClock clock,
    List<RequestTrace> traces,
    long endNanos,
    boolean partial,
    String stopReason,
    HardwareSamples hardware,
    ClientOverhead client,
    RunFacts facts,
    EngineMetrics engineMetrics) {

  /** What a run that did not read the engine's metrics holds. */
  private static final EngineMetrics NOT_READ =
      EngineMetrics.unavailable(null, 1_000_000_000L, "not read");

  public RunResult {
    traces = List.copyOf(traces);
    hardware = hardware == null ? HardwareSamples.none() : hardware;
    facts = facts == null ? RunFacts.none() : facts;
    engineMetrics = engineMetrics == null ? NOT_READ : engineMetrics;
  }

  /** A run without the engine's metrics. */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason,
      HardwareSamples hardware,
      ClientOverhead client,
      RunFacts facts) {
    this(meta, clock, traces, endNanos, partial, stopReason, hardware, client, facts, null);
  }

  /** A run with no hardware sampled and no facts recorded. */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason) {
    this(meta, clock, traces, endNanos, partial, stopReason, null, null, null);
  }

  /** A run whose client overhead was not measured and that recorded no facts. */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason,
      HardwareSamples hardware) {
    this(meta, clock, traces, endNanos, partial, stopReason, hardware, null, null);
  }

  /** A run that recorded no facts. */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason,
      HardwareSamples hardware,
      ClientOverhead client) {
    this(meta, clock, traces, endNanos, partial, stopReason, hardware, client, null);
  }

  /** The same run with other facts. */
  public RunResult withFacts(RunFacts f) {
    return new RunResult(
        meta, clock, traces, endNanos, partial, stopReason, hardware, client, f, engineMetrics);
  }

  /** The same run with other meta (e.g. steps or a price given after it). */
  public RunResult withMeta(RunMeta m) {
    return new RunResult(
        m, clock, traces, endNanos, partial, stopReason, hardware, client, facts, engineMetrics);
  }

  /** The same run with the engine's metrics. */
  public RunResult withEngineMetrics(EngineMetrics e) {
    return new RunResult(
        meta, clock, traces, endNanos, partial, stopReason, hardware, client, facts, e);
  }

  @Override
  public String toString() {
    return "RunResult["
        + meta
        + ", "
        + traces.size()
        + " traces, endNanos="
        + endNanos
        + (partial ? ", partial: " + stopReason : "")
        + "]";
  }
}
