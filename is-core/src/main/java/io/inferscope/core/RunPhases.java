package io.inferscope.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The phases of a run, found from how many measured requests were in flight over time (each from
 * its send to its end, failed ones included: they held a slot too).
 *
 * <p>The steady level is the time-weighted median of the in-flight count over the busy time (the
 * time with at least one request in flight): the lowest count held for at least half of it. Then:
 *
 * <ul>
 *   <li>ramp-up: from the first send until the count first reaches the steady level;
 *   <li>drain: from the first moment at or after the last send when the count is below the steady
 *       level, until the last end;
 *   <li>steady: between the two;
 *   <li>idle: any stretch of at least {@value #MIN_IDLE_NANOS} ns with nothing in flight, carved
 *       out of the above. Shorter gaps are the client's turnaround between requests, not idleness.
 * </ul>
 *
 * Phases of no length are left out, so a run at concurrency 1 is one steady phase.
 *
 * @param steadyInFlight the steady in-flight count, or null when no measured request took any time
 * @param phases the phases in time order, adjacent, from the first send to the last end
 * @param inFlight the in-flight count over time
 */
public record RunPhases(Integer steadyInFlight, List<RunPhase> phases, InFlightSeries inFlight) {

  /** Shortest stretch with nothing in flight that counts as an idle phase. */
  public static final long MIN_IDLE_NANOS = 100_000_000L;

  public RunPhases {
    phases = List.copyOf(phases);
  }

  /** Derives the phases from the run's traces (warm-up excluded). Pure. */
  public static RunPhases of(List<RequestTrace> traces) {
    InFlightSeries series = inFlight(traces);
    long[] at = series.atNanos();
    int[] count = series.count();
    int n = at.length;
    Map<Integer, Long> timeAtLevel = new TreeMap<>();
    long busy = 0;
    for (int i = 0; i + 1 < n; i++) {
      if (count[i] > 0) {
        timeAtLevel.merge(count[i], at[i + 1] - at[i], Long::sum);
        busy += at[i + 1] - at[i];
      }
    }
    if (busy == 0) {
      return new RunPhases(null, List.of(), series);
    }
    int steady = 0;
    long cumulative = 0;
    for (Map.Entry<Integer, Long> e : timeAtLevel.entrySet()) {
      cumulative += e.getValue();
      if (2 * cumulative >= busy) {
        steady = e.getKey();
        break;
      }
    }
    long lastSend = Long.MIN_VALUE;
    for (RequestTrace t : traces) {
      if (!t.warmup()) {
        lastSend = Math.max(lastSend, t.sendNanos());
      }
    }
    long reach = at[n - 1];
    for (int i = 0; i < n; i++) {
      if (count[i] >= steady) {
        reach = at[i];
        break;
      }
    }
    long drain = at[n - 1];
    for (int i = 0; i < n; i++) {
      if (at[i] >= lastSend && count[i] < steady) {
        drain = at[i];
        break;
      }
    }
    List<RunPhase> base = new ArrayList<>();
    add(base, RunPhaseKind.RAMP_UP, at[0], reach);
    add(base, RunPhaseKind.STEADY, reach, drain);
    add(base, RunPhaseKind.DRAIN, drain, at[n - 1]);
    return new RunPhases(steady, carveIdle(base, at, count), series);
  }

  /** The step series of measured requests in flight. */
  static InFlightSeries inFlight(List<RequestTrace> traces) {
    TreeMap<Long, Integer> change = new TreeMap<>();
    for (RequestTrace t : traces) {
      if (!t.warmup()) {
        change.merge(t.sendNanos(), 1, Integer::sum);
        change.merge(t.endNanos(), -1, Integer::sum);
      }
    }
    // an end and a send at one instant cancel out: no step there
    change.values().removeIf(d -> d == 0);
    long[] at = new long[change.size()];
    int[] count = new int[change.size()];
    int i = 0;
    int level = 0;
    for (Map.Entry<Long, Integer> e : change.entrySet()) {
      level += e.getValue();
      at[i] = e.getKey();
      count[i] = level;
      i++;
    }
    return new InFlightSeries(at, count);
  }

  private static List<RunPhase> carveIdle(List<RunPhase> base, long[] at, int[] count) {
    List<long[]> idle = new ArrayList<>();
    for (int i = 0; i + 1 < at.length; i++) {
      if (count[i] == 0 && at[i + 1] - at[i] >= MIN_IDLE_NANOS) {
        idle.add(new long[] {at[i], at[i + 1]});
      }
    }
    List<RunPhase> out = new ArrayList<>();
    for (RunPhase p : base) {
      long from = p.startNanos();
      for (long[] gap : idle) {
        if (gap[1] <= p.startNanos() || gap[0] >= p.endNanos()) {
          continue;
        }
        long a = Math.max(gap[0], p.startNanos());
        long b = Math.min(gap[1], p.endNanos());
        add(out, p.kind(), from, a);
        add(out, RunPhaseKind.IDLE, a, b);
        from = b;
      }
      add(out, p.kind(), from, p.endNanos());
    }
    return out;
  }

  /** Appends a phase of some length, merged into the previous one when they are of one kind. */
  private static void add(List<RunPhase> out, RunPhaseKind kind, long start, long end) {
    if (end <= start) {
      return;
    }
    if (!out.isEmpty() && out.getLast().kind() == kind && out.getLast().endNanos() == start) {
      out.set(out.size() - 1, new RunPhase(kind, out.getLast().startNanos(), end));
      return;
    }
    out.add(new RunPhase(kind, start, end));
  }
}
