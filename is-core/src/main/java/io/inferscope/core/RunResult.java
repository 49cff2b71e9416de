package io.inferscope.core;

import java.util.List;
import java.util.Objects;

/**
 * One run as measured: its settings, its clock, and every request trace. Derived figures are not
 * stored in a saved run; {@link RunMetrics#of} derives them from the traces, once per result, on
 * first use: the end of a run asks for them from every report it writes. Immutable.
 */
public final class RunResult {
  private final RunMeta meta;
  private final RunClock clock;
  private final List<RequestTrace> traces;
  private final long endNanos;
  private final boolean partial;
  private final String stopReason;
  private final HardwareSamples hardware;
  private final ClientOverhead client;

  /** Derived from {@link #traces} on first use; a race derives it twice, to the same value. */
  private volatile RunMetrics metrics;

  /**
   * @param meta what was run
   * @param clock the run's clock (origin of every offset)
   * @param traces every request, warm-up included, in id order
   * @param endNanos when the run ended
   * @param partial whether the run was cut short (interrupted, engine lost)
   * @param stopReason why it was cut short, or null
   * @param hardware the engine's process tree and GPUs sampled on the same clock; null for none
   * @param client what inferscope itself cost during the run, or null when not measured
   */
  public RunResult(
      RunMeta meta,
      RunClock clock,
      List<RequestTrace> traces,
      long endNanos,
      boolean partial,
      String stopReason,
      HardwareSamples hardware,
      ClientOverhead client) {
    this.meta = meta;
    this.clock = clock;
    this.traces = List.copyOf(traces);
    this.endNanos = endNanos;
    this.partial = partial;
    this.stopReason = stopReason;
    this.hardware = hardware == null ? HardwareSamples.none() : hardware;
    this.client = client;
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

  public RunMeta meta() {
    return meta;
  }

  public RunClock clock() {
    return clock;
  }

  public List<RequestTrace> traces() {
    return traces;
  }

  public long endNanos() {
    return endNanos;
  }

  public boolean partial() {
    return partial;
  }

  public String stopReason() {
    return stopReason;
  }

  public HardwareSamples hardware() {
    return hardware;
  }

  public ClientOverhead client() {
    return client;
  }

  /** The run's derived figures, computed once. */
  public RunMetrics metrics() {
    RunMetrics m = metrics;
    if (m == null) {
      m = RunMetrics.of(traces);
      metrics = m;
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunResult r
        && Objects.equals(meta, r.meta)
        && Objects.equals(clock, r.clock)
        && traces.equals(r.traces)
        && endNanos == r.endNanos
        && partial == r.partial
        && Objects.equals(stopReason, r.stopReason)
        && hardware.equals(r.hardware)
        && Objects.equals(client, r.client);
  }

  @Override
  public int hashCode() {
    return Objects.hash(meta, clock, traces, endNanos, partial, stopReason, hardware, client);
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
