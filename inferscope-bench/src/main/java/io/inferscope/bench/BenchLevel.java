package io.inferscope.bench;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.Summary;
import io.inferscope.sim.ScheduleReport;
import java.util.List;

/**
 * One row of the fidelity benchmark: figures over the measured (non-warm-up) streams of a level.
 * Absent figures are null.
 *
 * @param streams concurrent streams, each sending its next request when the last ended
 * @param kind which client ran the level, and how
 * @param engineEvents events the engine wrote over the level (its schedule window), null when its
 *     report could not be read
 * @param eventsPerSecond engine-written events / the level's wall time
 * @param engineSchedule how late the engine wrote its events against its own schedule, and its own
 *     time to first token, over the level; null when its report could not be read
 * @param observationDelayNanos engine send stamp to client arrival, per stamped event
 * @param itlErrorNanos |client arrival gap − engine send-stamp gap| of each two successive text
 *     events: how far the client's token gaps stray from the gaps the engine really made
 * @param ttftNanos time to first token, as the client measured it
 * @param clientCpuNanosPerEvent the client process's CPU time over the level / engine events
 * @param client what the client process itself cost over the level: CPU, GC pauses, scheduling lag
 * @param engineCpuPercentOfCore the engine process's CPU time over the level's wall time, 100 = one
 *     core; null when unreadable
 * @param clientJitMillis how long the client process's JIT compilers worked over the level: what a
 *     warm-up left to compile; null when the JVM does not tell
 * @param heapUsedBytes heap in use right after the level
 * @param failures measured requests that did not complete
 */
record BenchLevel(
    int streams,
    Kind kind,
    Long engineEvents,
    Double eventsPerSecond,
    ScheduleReport engineSchedule,
    Summary observationDelayNanos,
    Summary itlErrorNanos,
    Summary ttftNanos,
    Double clientCpuNanosPerEvent,
    ClientOverhead client,
    Double engineCpuPercentOfCore,
    Long clientJitMillis,
    long heapUsedBytes,
    int failures) {

  /** Which client ran a level, and how. */
  enum Kind {
    /** inferscope's client, with the bench's settings, after the warm-up level. */
    PROBE(""),
    /** inferscope's client in its default settings, first of all, before any warm-up. */
    COLD(" (cold, defaults)"),
    /** {@link TrivialClient}: reads and discards, the floor of what a client costs the engine. */
    TRIVIAL(" (trivial client)");

    private final String suffix;

    Kind(String suffix) {
      this.suffix = suffix;
    }
  }

  /**
   * The client's TTFT p50 − the engine's own (nanoseconds): what the request's way in and its first
   * event's way out add; null when either is missing. The client's p50 interpolates, the engine's
   * is its histogram's bucket (within 0.2 %), so at one stream of tight TTFTs they compare to some
   * tens of µs.
   */
  Double ttftGapNanos() {
    Long engine = engineSchedule == null ? null : engineSchedule.ttft().p50Nanos();
    return ttftNanos == null || engine == null ? null : ttftNanos.p50() - engine;
  }

  /** The engine's lateness p99 over the level (ns), null when its report could not be read. */
  Long engineLateP99Nanos() {
    return engineSchedule == null ? null : engineSchedule.lateness().p99Nanos();
  }

  /** ITL error p99 (ns), null when no two text events were read. */
  Double itlErrorP99Nanos() {
    return itlErrorNanos == null ? null : itlErrorNanos.p99();
  }

  /** Observation delay p99 (ns), null when no event carried the engine's stamp. */
  Double observationDelayP99Nanos() {
    return observationDelayNanos == null ? null : observationDelayNanos.p99();
  }

  /** The row's first cell: the streams and, unless a plain measured level, which client. */
  String label() {
    return streams + kind.suffix;
  }

  /** What the engine and the client process cost over one level, whichever client ran it. */
  record Costs(
      ScheduleReport engineSchedule,
      long wallNanos,
      Long clientCpuNanos,
      ClientOverhead client,
      Double engineCpuPercentOfCore,
      Long clientJitMillis,
      long heapUsedBytes) {

    Long engineEvents() {
      return engineSchedule == null ? null : engineSchedule.events();
    }

    Double eventsPerSecond() {
      Long events = engineEvents();
      return events == null || events == 0 || wallNanos <= 0 ? null : events * 1e9 / wallNanos;
    }

    Double clientCpuNanosPerEvent() {
      Long events = engineEvents();
      return events == null || events == 0 || clientCpuNanos == null
          ? null
          : (double) clientCpuNanos / events;
    }
  }

  /**
   * A level run by the trivial client: the engine's figures, the client's cost, and what the
   * cheapest reader observes (its observation delay, ITL error and TTFT).
   */
  static BenchLevel trivial(int streams, Costs costs, TrivialClient.Result read) {
    return new BenchLevel(
        streams,
        Kind.TRIVIAL,
        costs.engineEvents(),
        costs.eventsPerSecond(),
        costs.engineSchedule(),
        read == null ? null : read.observationDelayNanos(),
        read == null ? null : read.itlErrorNanos(),
        read == null ? null : read.ttftNanos(),
        costs.clientCpuNanosPerEvent(),
        costs.client(),
        costs.engineCpuPercentOfCore(),
        costs.clientJitMillis(),
        costs.heapUsedBytes(),
        0);
  }

  /** A level run by inferscope's client, from its traces. */
  static BenchLevel of(int streams, Kind kind, List<RequestTrace> traces, Costs costs) {
    int failures = 0;
    int gapCount = 0;
    for (RequestTrace t : traces) {
      if (!t.warmup()) {
        gapCount += Math.max(0, t.events().textEventCount() - 1);
      }
    }
    long[] errors = new long[gapCount];
    int e = 0;
    for (RequestTrace t : traces) {
      if (t.warmup()) {
        continue;
      }
      if (!t.ok()) {
        failures++;
      }
      for (long x : t.events().sentGapErrorsNanos()) {
        errors[e++] = x;
      }
    }
    RunMetrics metrics = RunMetrics.of(traces);
    return new BenchLevel(
        streams,
        kind,
        costs.engineEvents(),
        costs.eventsPerSecond(),
        costs.engineSchedule(),
        metrics.observationDelayNanos(),
        Summary.of(java.util.Arrays.copyOf(errors, e)),
        metrics.ttftNanos(),
        costs.clientCpuNanosPerEvent(),
        costs.client(),
        costs.engineCpuPercentOfCore(),
        costs.clientJitMillis(),
        costs.heapUsedBytes(),
        failures);
  }
}
