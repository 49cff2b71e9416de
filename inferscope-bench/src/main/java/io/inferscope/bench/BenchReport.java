package io.inferscope.bench;

import io.inferscope.core.ClientOverhead;
import io.inferscope.core.Summary;
import io.inferscope.sim.ScheduleReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints the fidelity benchmark as Markdown: a table, then whether each target holds. */
final class BenchReport {
  static final double NANOS_PER_MS = 1e6;
  static final double BYTES_PER_MIB = 1024.0 * 1024.0;

  /** Streams of the middle targets; the cold level's default streams too. */
  static final int MID_STREAMS = 512;

  /** Streams of the high targets. */
  static final int HIGH_STREAMS = 1024;

  /** Streams at which the client must read {@link #EVENTS_PER_SECOND_TARGET} without a failure. */
  static final int RATE_STREAMS = 2048;

  static final double EVENTS_PER_SECOND_TARGET = 100_000;

  /** How far the client's TTFT p50 at one stream may exceed the engine's own. */
  static final double TTFT_GAP_MS = 0.3;

  /** Beyond this the engine itself is late, and the rows of its level measure it, not a client. */
  static final double ENGINE_LATE_P99_MS = 1.0;

  /**
   * The client's targets, each on one figure of one level: what it may cost the engine and itself,
   * and how far what it observes may stray from what the engine did.
   */
  static final List<Bound> BOUNDS =
      List.of(
          new Bound(
              "client CPU per event",
              "µs",
              MID_STREAMS,
              BenchLevel.Kind.PROBE,
              5.0,
              l -> micros(l.clientCpuNanosPerEvent())),
          new Bound(
              "engine lateness p99",
              "ms",
              MID_STREAMS,
              BenchLevel.Kind.PROBE,
              3.0,
              l -> millis(l.engineLateP99Nanos())),
          new Bound(
              "engine lateness p99",
              "ms",
              HIGH_STREAMS,
              BenchLevel.Kind.PROBE,
              10.0,
              l -> millis(l.engineLateP99Nanos())),
          new Bound(
              "ITL error p99",
              "ms",
              MID_STREAMS,
              BenchLevel.Kind.COLD,
              0.5,
              l -> millis(l.itlErrorP99Nanos())),
          new Bound(
              "ITL error p99",
              "ms",
              MID_STREAMS,
              BenchLevel.Kind.PROBE,
              0.5,
              l -> millis(l.itlErrorP99Nanos())),
          new Bound(
              "ITL error p99",
              "ms",
              HIGH_STREAMS,
              BenchLevel.Kind.PROBE,
              2.0,
              l -> millis(l.itlErrorP99Nanos())),
          new Bound(
              "observation delay p99",
              "ms",
              MID_STREAMS,
              BenchLevel.Kind.PROBE,
              1.0,
              l -> millis(l.observationDelayP99Nanos())));

  /**
   * A target: one figure of the level of {@code streams} that {@code kind} ran, in {@code unit}, at
   * most {@code limit}.
   */
  record Bound(
      String figure,
      String unit,
      int streams,
      BenchLevel.Kind kind,
      double limit,
      java.util.function.Function<BenchLevel, Double> valueOf) {}

  private BenchReport() {}

  /**
   * The machine a bench ran on, for its header: processors, OS, JVM and its garbage collector
   * (which decides whether pauses show in the tail).
   */
  static String machine() {
    List<java.lang.management.GarbageCollectorMXBean> gcs =
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();
    String gc = gcs.isEmpty() ? "unknown" : gcs.get(0).getName().split(" ")[0];
    return Runtime.getRuntime().availableProcessors()
        + " processors, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.version")
        + ", GC "
        + gc;
  }

  static void header(PrintWriter out) {
    out.println(
        "| streams | events/s | engine late p50 ms | engine late p99 ms | engine late max ms"
            + " | obs. delay p50 ms | obs. delay p99 ms | obs. delay max ms"
            + " | ITL error p50 ms | ITL error p99 ms | TTFT p50 ms | engine TTFT p50 ms"
            + " | client CPU µs/event"
            + " | client CPU % | engine CPU % | engine JIT ms | client JIT ms"
            + " | GC pause max ms (count)"
            + " | sched. lag p99 ms"
            + " | heap used MiB | failures |");
    out.println(
        "|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  }

  static void row(PrintWriter out, BenchLevel l) {
    ScheduleReport late = l.engineSchedule();
    Summary obs = l.observationDelayNanos();
    Summary itl = l.itlErrorNanos();
    Summary ttft = l.ttftNanos();
    ClientOverhead c = l.client();
    List<String> cells =
        List.of(
            l.label(),
            l.eventsPerSecond() == null
                ? "-"
                : String.format(Locale.ROOT, "%.0f", l.eventsPerSecond()),
            ms(late == null ? null : late.lateness().p50Nanos()),
            ms(late == null ? null : late.lateness().p99Nanos()),
            ms(late == null ? null : late.lateness().maxNanos()),
            ms(obs == null ? null : obs.p50()),
            ms(obs == null ? null : obs.p99()),
            ms(obs == null ? null : obs.max()),
            ms(itl == null ? null : itl.p50()),
            ms(itl == null ? null : itl.p99()),
            ms(ttft == null ? null : ttft.p50()),
            ms(late == null ? null : late.ttft().p50Nanos()),
            l.clientCpuNanosPerEvent() == null
                ? "-"
                : String.format(Locale.ROOT, "%.1f", l.clientCpuNanosPerEvent() / 1e3),
            percent(c.cpuPercent()),
            percent(l.engineCpuPercentOfCore()),
            late == null || late.jitMillis() == null ? "-" : Long.toString(late.jitMillis()),
            l.clientJitMillis() == null ? "-" : Long.toString(l.clientJitMillis()),
            gcPauses(c),
            ms(c.schedulingLagP99Nanos()),
            String.format(Locale.ROOT, "%.0f", l.heapUsedBytes() / BYTES_PER_MIB),
            Integer.toString(l.failures()));
    out.println("| " + String.join(" | ", cells) + " |");
    out.flush();
  }

  /**
   * Whether each target holds, on the levels that decide it; where the trivial client ran the same
   * level, its figure follows as the floor that any reader gets on this host.
   */
  static void targets(PrintWriter out, List<BenchLevel> levels) {
    out.println();
    out.println(
        "Targets (inferscope's client; the trivial client's figure, where it ran, is the floor):");
    for (Bound b : BOUNDS) {
      out.println(verdict(levels, b));
    }
    out.println(ttftVerdict(levels));
    out.println(rateVerdict(levels));
    out.println(
        scheduleVerdict(levels.stream().filter(l -> l.kind() == BenchLevel.Kind.TRIVIAL).toList()));
    out.flush();
  }

  static String verdict(List<BenchLevel> levels, Bound b) {
    String target =
        "- "
            + b.figure()
            + " ≤ "
            + number(b.limit(), b.unit())
            + " at "
            + b.streams()
            + " streams"
            + (b.kind() == BenchLevel.Kind.COLD ? ", default settings, cold (the first level)" : "")
            + ": ";
    BenchLevel level = find(levels, b.streams(), b.kind());
    if (level == null) {
      return target
          + "not measured (no "
          + (b.kind() == BenchLevel.Kind.COLD ? "cold level of " : "level of ")
          + b.streams()
          + " streams)";
    }
    Double value = b.valueOf().apply(level);
    if (value == null) {
      return target + "not measured (the level has no " + b.figure() + ")";
    }
    BenchLevel trivial = find(levels, b.streams(), BenchLevel.Kind.TRIVIAL);
    Double floor = trivial == null ? null : b.valueOf().apply(trivial);
    String figures =
        number(value, b.unit())
            + (floor == null ? "" : "; the trivial client's " + number(floor, b.unit()));
    if (withinAsPrinted(number(value, b.unit()), b.limit())) {
      return target + "holds (" + figures + ")";
    }
    return target
        + "missed ("
        + figures
        + "; "
        + String.format(Locale.ROOT, "%.2f", value / b.limit())
        + "× the target)";
  }

  /**
   * Whether a figure holds its limit as printed (its number first, then its unit): every verdict is
   * decided on what it shows, so that one reading as the limit holds.
   */
  static boolean withinAsPrinted(String printed, double limit) {
    return Double.parseDouble(printed.split(" ")[0]) <= limit;
  }

  private static BenchLevel find(List<BenchLevel> levels, int streams, BenchLevel.Kind kind) {
    return levels.stream()
        .filter(l -> l.streams() == streams && l.kind() == kind)
        .findFirst()
        .orElse(null);
  }

  private static Double millis(Number nanos) {
    return nanos == null ? null : nanos.doubleValue() / NANOS_PER_MS;
  }

  private static Double micros(Number nanos) {
    return nanos == null ? null : nanos.doubleValue() / 1e3;
  }

  private static String number(double value, String unit) {
    return String.format(Locale.ROOT, "µs".equals(unit) ? "%.1f" : "%.3f", value) + " " + unit;
  }

  /**
   * Whether the engine kept its schedule under the trivial client at {@value #MID_STREAMS} streams:
   * if it could not, no client's row there measures the client alone.
   */
  static String scheduleVerdict(List<BenchLevel> trivialLevels) {
    String target =
        "- engine lateness p99 ≤ "
            + fmt(ENGINE_LATE_P99_MS)
            + " ms under the trivial client at "
            + MID_STREAMS
            + " streams: ";
    BenchLevel level =
        trivialLevels.stream().filter(l -> l.streams() == MID_STREAMS).findFirst().orElse(null);
    if (level == null) {
      return target + "not measured (no trivial-client level of " + MID_STREAMS + " streams)";
    }
    Long p99Nanos = level.engineLateP99Nanos();
    if (p99Nanos == null) {
      return target + "not measured (the engine reported no events)";
    }
    double p99 = p99Nanos / NANOS_PER_MS;
    return target
        + (withinAsPrinted(fmt(p99), ENGINE_LATE_P99_MS)
            ? "holds ("
            : "missed (the engine itself is late: ")
        + fmt(p99)
        + " ms)";
  }

  /**
   * Whether inferscope's TTFT p50 at one stream is within {@value #TTFT_GAP_MS} ms of the engine's
   * own: what a lone request's way in and its first event's way out add. The trivial client's gap
   * beside it, where it ran, is the floor: the engine's own read of the request is in every
   * client's.
   */
  static String ttftVerdict(List<BenchLevel> levels) {
    String target =
        "- TTFT p50 at 1 stream within " + fmt(TTFT_GAP_MS) + " ms of the engine's own: ";
    BenchLevel level = find(levels, 1, BenchLevel.Kind.PROBE);
    if (level == null) {
      return target + "not measured (level not in --streams)";
    }
    Double gapNanos = level.ttftGapNanos();
    if (gapNanos == null) {
      return target + "not measured (no first token read, or none booked by the engine)";
    }
    double gap = gapNanos / NANOS_PER_MS;
    BenchLevel trivial = find(levels, 1, BenchLevel.Kind.TRIVIAL);
    Double floorNanos = trivial == null ? null : trivial.ttftGapNanos();
    String figures =
        fmt(level.ttftNanos().p50() / NANOS_PER_MS)
            + " against "
            + fmt(level.engineSchedule().ttft().p50Nanos() / NANOS_PER_MS)
            + " ms: "
            + signed(gap)
            + " ms"
            + (floorNanos == null
                ? ""
                : "; the trivial client's " + signed(floorNanos / NANOS_PER_MS) + " ms");
    if (Double.parseDouble(fmt(gap)) < 0) {
      // The engine's interval lies within the client's: below zero is the two p50s' rounding, or
      // a fault; either way no verdict.
      return target + "not decided (the client's p50 below the engine's: " + figures + ")";
    }
    return target
        + (withinAsPrinted(fmt(gap), TTFT_GAP_MS) ? "holds (" : "missed (")
        + figures
        + ")";
  }

  private static String signed(double ms) {
    return (ms >= 0 ? "+" : "") + fmt(ms);
  }

  /**
   * Whether inferscope's client read {@value #EVENTS_PER_SECOND_TARGET} events a second (as the
   * engine wrote them) at {@value #RATE_STREAMS} streams, every request completed.
   */
  static String rateVerdict(List<BenchLevel> levels) {
    String target =
        "- ≥ "
            + String.format(Locale.ROOT, "%.0f", EVENTS_PER_SECOND_TARGET)
            + " events/s streamed (as the engine wrote them) at "
            + RATE_STREAMS
            + " streams, no failure: ";
    BenchLevel level = find(levels, RATE_STREAMS, BenchLevel.Kind.PROBE);
    if (level == null) {
      return target + "not measured (no level of " + RATE_STREAMS + " streams)";
    }
    if (level.eventsPerSecond() == null) {
      return target + "not measured (the engine reported no events)";
    }
    double rate = level.eventsPerSecond();
    String figures =
        String.format(Locale.ROOT, "%.0f", rate)
            + " events/s, "
            + level.failures()
            + (level.failures() == 1 ? " failure" : " failures");
    // As printed, as the others: a rate that reads as the target holds it.
    if (Math.round(rate) >= EVENTS_PER_SECOND_TARGET && level.failures() == 0) {
      return target + "holds (" + figures + ")";
    }
    return target
        + "missed ("
        + figures
        + (rate < EVENTS_PER_SECOND_TARGET
            ? "; "
                + String.format(Locale.ROOT, "%.0f", 100 * rate / EVENTS_PER_SECOND_TARGET)
                + " % of the target"
            : "")
        + ")";
  }

  /**
   * Longest GC pause and how many: JMX gives whole milliseconds, so pauses that read 0 (ZGC's
   * always do) show as under one.
   */
  static String gcPauses(ClientOverhead c) {
    if (c.gcPauseMaxNanos() == null) {
      return "-";
    }
    String max = c.gcPausesUnderOneMilli() ? "< 1" : ms(c.gcPauseMaxNanos());
    return max + " (" + c.gcPauses() + ")";
  }

  static String percent(Double percent) {
    return percent == null ? "-" : String.format(Locale.ROOT, "%.0f", percent);
  }

  static String ms(Number nanos) {
    return nanos == null
        ? "-"
        : String.format(Locale.ROOT, "%.3f", nanos.doubleValue() / NANOS_PER_MS);
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }
}
