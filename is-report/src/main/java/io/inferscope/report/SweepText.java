package io.inferscope.report;

import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepAxis;
import io.inferscope.core.SweepLevel;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of a load sweep for a person at a terminal, at most {@value TextReport#WIDTH} columns:
 * what was swept, one row per level with its throughput and latency, one row per level with its
 * outcomes, then the knee and, when the sweep stopped before its last level, why. Every figure is
 * {@link SweepAnalysis}'s; absent ones print as {@code -}, never as 0.
 */
public final class SweepText {

  private static final int VALUE_WIDTH = 11;

  /** Throughput and latency cells: {@code 12345} ms with room to spare. */
  private static final int FIGURE_WIDTH = 10;

  /** Outcome cells: each as wide as its heading and a space or two, so goodput fits too. */
  private static final int[] OUTCOME_WIDTHS = {10, 8, 7, 9, 8, 10, 9, 9, 9, 7};

  private SweepText() {}

  /** The whole report, lines ending in {@code \n}. */
  public static String render(SweepAnalysis s) {
    StringBuilder out = new StringBuilder(4096);
    header(out, s);
    boolean partial = s.levels().stream().anyMatch(SweepLevel::partial);
    throughputAndLatency(out, s);
    outcomes(out, s);
    List<String> marks = new ArrayList<>();
    if (s.knee() != null) {
      marks.add("* the knee");
    }
    if (partial) {
      marks.add("! cut short: not judged for the knee");
    }
    if (!marks.isEmpty()) {
      out.append("  ").append(String.join(" · ", marks)).append('\n');
    }
    out.append('\n');
    HardwareText.wrapped(out, "knee          ", s.kneeReason());
    if (s.queueing() != null) {
      HardwareText.wrapped(out, "queueing      ", s.queueing().reason());
    }
    if (s.stoppedEarly() != null) {
      HardwareText.wrapped(out, "stopped early ", s.stoppedEarly());
    }
    return out.toString();
  }

  private static void header(StringBuilder out, SweepAnalysis s) {
    out.append("inferscope ").append(TextReport.text(s.toolVersion())).append(" · sweep report\n");
    TextReport.kv(out, "url", fit(s.url()));
    TextReport.kv(out, "endpoint", fit(s.endpoint()));
    TextReport.kv(out, "model", fit(s.model()));
    TextReport.kv(
        out,
        "sweep",
        s.axis().label()
            + (s.axis() == SweepAxis.CONCURRENCY ? " (closed loop), " : " (open loop), ")
            + s.levels().size()
            + (s.levels().size() == 1 ? " level" : " levels"));
    TextReport.kv(
        out,
        "started",
        s.startedAt() == null
            ? Fmt.ABSENT
            : s.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
    if (s.slo() != null) {
      TextReport.kv(out, "SLO", slo(s.slo()));
    }
    io.inferscope.core.RunFacts.Workload w = s.workload();
    if (w != null && w.source() != io.inferscope.core.RunFacts.WorkloadSource.PROMPT) {
      TextReport.kv(
          out,
          "workload",
          fit(
              w.source().name().toLowerCase(java.util.Locale.ROOT)
                  + (w.inputTokensMean() == null
                      ? ""
                      : " · input "
                          + Fmt.sig4(w.inputTokensMean())
                          + " tok mean ("
                          + (w.tokenCounting()
                                  == io.inferscope.core.RunFacts.TokenCounting.ENGINE_TOKENIZER
                              ? "engine tokenizer"
                              : "ESTIMATED")
                          + ")")
                  + (w.file() == null ? "" : " · " + w.file())));
    }
  }

  /** Outside text on one line that keeps to the width. */
  private static String fit(String s) {
    return Fmt.fit(TextReport.text(s), TextReport.WIDTH - TextReport.KEY_WIDTH - 2);
  }

  /** e.g. {@code TTFT ≤ 40 ms · E2E ≤ 2000 ms} (from the intended send time). */
  private static String slo(Slo slo) {
    List<String> parts = new ArrayList<>();
    if (slo.ttftNanos() != null) {
      parts.add("TTFT ≤ " + Fmt.ms(slo.ttftNanos()) + " ms");
    }
    if (slo.tpotNanos() != null) {
      parts.add("TPOT ≤ " + Fmt.ms(slo.tpotNanos()) + " ms");
    }
    if (slo.e2eNanos() != null) {
      parts.add("E2E ≤ " + Fmt.ms(slo.e2eNanos()) + " ms");
    }
    return String.join(" · ", parts);
  }

  private static void throughputAndLatency(StringBuilder out, SweepAnalysis s) {
    out.append("\nThroughput and latency (ms) of completed requests\n");
    row(
        out,
        FIGURE_WIDTH,
        "  ",
        s.axis().label(),
        "req/s",
        "tok/s",
        "TTFT p50",
        "TTFT p99",
        "ITL p50",
        "ITL p99",
        "E2E p50",
        "E2E p99");
    for (int i = 0; i < s.levels().size(); i++) {
      SweepLevel l = s.levels().get(i);
      row(
          out,
          FIGURE_WIDTH,
          mark(s, i),
          s.axis().value(l.value()),
          Fmt.sig4(l.requestsPerSecond()),
          Fmt.sig4(l.outputTokensPerSecond()),
          Fmt.ms(l.ttftP50Nanos()),
          Fmt.ms(l.ttftP99Nanos()),
          Fmt.ms(l.itlP50Nanos()),
          Fmt.ms(l.itlP99Nanos()),
          Fmt.ms(l.e2eP50Nanos()),
          Fmt.ms(l.e2eP99Nanos()));
    }
  }

  private static void outcomes(StringBuilder out, SweepAnalysis s) {
    boolean goodput = s.levels().stream().anyMatch(l -> l.goodputRatio() != null);
    out.append("\nOutcomes of measured requests\n");
    List<String> head =
        new ArrayList<>(
            List.of(
                s.axis().label(),
                "requests",
                "ok",
                "shed",
                "timeouts",
                "errors",
                "cancelled",
                "complete"));
    if (goodput) {
      head.addAll(List.of("goodput", "good/s", "missed"));
    }
    row(out, OUTCOME_WIDTHS, "  ", head.toArray(String[]::new));
    for (int i = 0; i < s.levels().size(); i++) {
      SweepLevel l = s.levels().get(i);
      List<String> cells =
          new ArrayList<>(
              List.of(
                  s.axis().value(l.value()),
                  Integer.toString(l.requests()),
                  Integer.toString(l.ok()),
                  Integer.toString(l.shed()),
                  Integer.toString(l.timeouts()),
                  Integer.toString(l.errors()),
                  Integer.toString(l.cancelled()),
                  Fmt.percent(l.completenessPercent())));
      if (goodput) {
        cells.add(Fmt.percent(l.goodputRatio() == null ? null : l.goodputRatio() * 100));
        cells.add(Fmt.sig4(l.goodputPerSecond()));
        cells.add(
            l.goodputMostMissed() == null
                ? Fmt.ABSENT
                : l.goodputMostMissed().name().toLowerCase(java.util.Locale.ROOT));
      }
      row(out, OUTCOME_WIDTHS, mark(s, i), cells.toArray(String[]::new));
    }
  }

  /** {@code * } on the knee's rows, {@code ! } on a level cut short. */
  private static String mark(SweepAnalysis s, int i) {
    if (s.knee() != null && s.knee().index() == i) {
      return "* ";
    }
    return s.levels().get(i).partial() ? "! " : "  ";
  }

  private static void row(StringBuilder out, int width, String mark, String... cells) {
    int[] widths = new int[cells.length - 1];
    java.util.Arrays.fill(widths, width);
    row(out, widths, mark, cells);
  }

  /** The level's value, then each cell right-aligned in its width. */
  private static void row(StringBuilder out, int[] widths, String mark, String... cells) {
    out.append(mark).append(Fmt.padLeft(cells[0], VALUE_WIDTH));
    for (int i = 1; i < cells.length; i++) {
      out.append(Fmt.padLeft(cells[i], widths[i - 1]));
    }
    out.append('\n');
  }
}
