package io.inferscope.core;

import java.util.List;

/**
 * Everything derived from one run, derived once: every report (text, JSON, HTML, and any later
 * consumer) renders this and computes nothing of its own. A saved run read back is analysed anew,
 * so a report of it is the report of the run.
 *
 * @param run the raw run
 * @param window the measured window (first measured send to last measured end), or null when no
 *     request was measured
 * @param requests the measured requests with their figures, in trace order
 * @param metrics figures pooled over the measured requests
 * @param phases the run's phases by requests in flight
 * @param correlation what the hardware did during each request's prefill and decode
 * @param hardware the process-tree and GPU figures
 * @param findings plain-words findings, warnings first
 * @param tokenRate text events and requests in flight over time, or null when no request was sent
 * @param goodput the share of measured requests that met the run's SLO, or null without one
 * @param engine the engine's own view from its {@code /metrics}
 * @param attribution the window's time, energy and cost by phase, request and step, or null when no
 *     request was measured
 */
public record RunAnalysis(
    RunResult run,
    MeasuredWindow window,
    List<MeasuredRequest> requests,
    RunMetrics metrics,
    RunPhases phases,
    Correlation correlation,
    HardwareFigures hardware,
    List<Finding> findings,
    TokenRateSeries tokenRate,
    Goodput goodput,
    EngineView engine,
    Attribution attribution) {

  /** The mode of a run that sent no load and only sampled the engine. */
  public static final String SAMPLE_ONLY = "sample-only";

  public RunAnalysis {
    requests = List.copyOf(requests);
    findings = List.copyOf(findings);
  }

  /** Derives everything from the run. Pure. */
  public static RunAnalysis of(RunResult run) {
    MeasuredWindow window = MeasuredWindow.of(run.traces());
    List<MeasuredRequest> requests = MeasuredRequest.of(run.traces());
    RunMetrics metrics = RunMetrics.of(requests, window);
    Correlation correlation = Correlation.of(run, window);
    HardwareFigures hardware =
        HardwareFigures.of(run.hardware(), window, run.endNanos(), metrics.outputTokensTotal());
    EngineView engine = EngineView.of(run.engineMetrics(), run.traces(), requests);
    List<Finding> findings = Findings.of(run, metrics, correlation, hardware, engine);
    return new RunAnalysis(
        run,
        window,
        requests,
        metrics,
        RunPhases.of(run.traces()),
        correlation,
        hardware,
        findings,
        TokenRateSeries.of(run.traces(), run.endNanos()),
        Goodput.of(run.meta().slo(), requests, window),
        engine,
        Attribution.of(run, window, requests, metrics, hardware));
  }

  /** A run that only sampled the engine: there are no request figures to show. */
  public boolean sampleOnly() {
    return SAMPLE_ONLY.equals(run.meta().mode()) && metrics.requests() == 0;
  }

  /** Warm-up requests sent before the measured ones. */
  public long warmupRequests() {
    return run.traces().size() - requests.size();
  }
}
