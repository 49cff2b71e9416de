package io.inferscope.bench;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.EventLog;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.Summary;
import java.util.List;

/**
 * One row of the fidelity benchmark: figures over the measured (non-warm-up) streams of a level.
 * Absent figures are null.
 *
 * @param streams concurrent streams, one request each
 * @param textEvents text events received
 * @param eventsPerSecond text events / (last text arrival − first send)
 * @param observationDelayNanos engine send stamp to client arrival, per stamped event
 * @param itlErrorNanos |measured text gap − scheduled gap|, per gap
 * @param client what the client process itself cost over the level: CPU, GC pauses, scheduling lag
 * @param engineCpuPercentOfCore the engine process's CPU time over the level's wall time, 100 = one
 *     core; null when unreadable
 * @param heapUsedBytes heap in use right after the level
 * @param failures measured requests that did not complete
 */
record BenchLevel(
    int streams,
    long textEvents,
    Double eventsPerSecond,
    Summary observationDelayNanos,
    Summary itlErrorNanos,
    ClientOverhead client,
    Double engineCpuPercentOfCore,
    long heapUsedBytes,
    int failures) {

  static BenchLevel of(
      int streams,
      List<RequestTrace> traces,
      long scheduledGapNanos,
      ClientOverhead client,
      Double engineCpuPercentOfCore,
      long heapUsedBytes) {
    long firstSend = Long.MAX_VALUE;
    long lastArrival = Long.MIN_VALUE;
    long events = 0;
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
      EventLog ev = t.events();
      firstSend = Math.min(firstSend, t.sendNanos());
      int last = ev.lastTextIndex();
      if (last >= 0) {
        lastArrival = Math.max(lastArrival, ev.atNanos(last));
      }
      events += ev.textEventCount();
      for (long g : ev.textGapsNanos()) {
        errors[e++] = Math.abs(g - scheduledGapNanos);
      }
    }
    Double rate =
        events > 0 && lastArrival > firstSend ? events * 1e9 / (lastArrival - firstSend) : null;
    return new BenchLevel(
        streams,
        events,
        rate,
        RunMetrics.of(traces).observationDelayNanos(),
        Summary.of(errors),
        client,
        engineCpuPercentOfCore,
        heapUsedBytes,
        failures);
  }
}
