package io.inferscope.report;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunComparison;
import io.inferscope.core.RunComparison.Figure;
import io.inferscope.core.RunComparison.Pair;
import io.inferscope.core.RunComparison.Run;
import io.inferscope.core.RunComparison.Unit;
import io.inferscope.core.RunComparison.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison of saved runs for a person at a terminal, at most {@value TextReport#WIDTH}
 * columns: the runs, how the intervals were computed, then per run against the baseline what
 * differs between their settings and a table of every figure with its difference, the interval of
 * the difference and the verdict, which says "no significant difference" as plainly as
 * "regression". Every figure and verdict is {@link RunComparison}'s; absent ones print as {@code
 * -}. The cells are shared with {@link CompareMarkdown} and {@link CompareHtml}.
 */
public final class CompareText {

  private static final int NAME_WIDTH = 22;
  private static final int VALUE_WIDTH = 8;
  private static final int DELTA_WIDTH = 9;
  private static final int PERCENT_WIDTH = 8;
  private static final int INTERVAL_WIDTH = 16;

  private CompareText() {}

  /** The whole comparison, lines ending in {@code \n}. */
  public static String render(RunComparison c) {
    StringBuilder out = new StringBuilder(8192);
    out.append("inferscope ")
        .append(TextReport.text(c.runs().getFirst().toolVersion()))
        .append(" · comparison of ")
        .append(c.runs().size())
        .append(" runs\n");
    for (int i = 0; i < c.runs().size(); i++) {
      Run r = c.runs().get(i);
      TextReport.kv(out, letter(i) + (i == 0 ? " (baseline)" : ""), fit(r.label()));
      HardwareText.wrapped(out, " ".repeat(TextReport.KEY_WIDTH + 2), runLine(r));
    }
    HardwareText.wrapped(out, "  " + Fmt.padRight("intervals", TextReport.KEY_WIDTH), method(c));
    for (int i = 0; i < c.pairs().size(); i++) {
      pair(out, c, c.pairs().get(i), i + 1);
    }
    return out.toString();
  }

  /** A, B, C, ... for the runs in the order given; the baseline is A. */
  static String letter(int index) {
    return index < 26 ? String.valueOf((char) ('A' + index)) : "R" + (index + 1);
  }

  /** e.g. {@code http://127.0.0.1:8000 · chat · sim-model · 100 requests, 98 ok}. */
  static String runLine(Run r) {
    return TextReport.text(r.url())
        + " · "
        + TextReport.text(r.endpoint())
        + " · "
        + TextReport.text(r.model())
        + " · "
        + r.requests()
        + (r.requests() == 1 ? " request, " : " requests, ")
        + r.ok()
        + " ok"
        + (r.partial() ? " · PARTIAL" : "")
        + (r.schemaVersion() == null ? "" : " · schema " + r.schemaVersion());
  }

  /** How the intervals were computed, one sentence. */
  static String method(RunComparison c) {
    Bootstrap.Settings s = c.settings();
    return confidence(s)
        + " bootstrap intervals of B − A (percentile method), "
        + s.resamples()
        + " resamples of each run's measured requests, seed "
        + s.seed()
        + "; a difference is significant when its interval leaves out 0 and, for times and rates,"
        + " it is at least "
        + number(c.minEffectPercent())
        + " % of A (the minimum effect)";
  }

  /** e.g. {@code 95 %}. */
  static String confidence(Bootstrap.Settings s) {
    return number(s.confidence() * 100) + " %";
  }

  /** A setting as given: {@code 5}, {@code 2.5}. */
  static String number(double v) {
    return v == Math.rint(v)
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
  }

  private static String fit(String s) {
    return Fmt.fit(TextReport.text(s), TextReport.WIDTH - TextReport.KEY_WIDTH - 2);
  }

  private static void pair(StringBuilder out, RunComparison c, Pair p, int index) {
    out.append('\n')
        .append(letter(index))
        .append(" against A (baseline): ")
        .append(Fmt.fit(TextReport.text(p.run().label()), TextReport.WIDTH - 24))
        .append('\n');
    if (p.differences().isEmpty()) {
      TextReport.kv(out, "settings", "the same");
    } else {
      String head = "  " + Fmt.padRight("differs", TextReport.KEY_WIDTH);
      for (String d : p.differences()) {
        HardwareText.wrapped(out, head, d);
        head = " ".repeat(head.length());
      }
      out.append("  (the figures are compared anyway)\n");
    }
    out.append('\n');
    out.append(Fmt.padRight("", NAME_WIDTH))
        .append(Fmt.padLeft("A", VALUE_WIDTH))
        .append(Fmt.padLeft(letter(index), VALUE_WIDTH))
        .append(Fmt.padLeft("Δ", DELTA_WIDTH))
        .append(Fmt.padLeft("Δ %", PERCENT_WIDTH))
        .append("  ")
        .append(Fmt.padRight(confidence(c.settings()) + " interval", INTERVAL_WIDTH))
        .append("  verdict\n");
    String group = null;
    for (Figure f : p.figures()) {
      String g = group(f);
      if (g != null && !g.equals(group)) {
        out.append(g).append('\n');
      }
      group = g;
      out.append(Fmt.padRight("  " + rowName(f), NAME_WIDTH))
          .append(Fmt.padLeft(value(f.unit(), f.baseline()), VALUE_WIDTH))
          .append(Fmt.padLeft(value(f.unit(), f.value()), VALUE_WIDTH))
          .append(Fmt.padLeft(signed(f.unit(), f.delta()), DELTA_WIDTH))
          .append(Fmt.padLeft(percent(f.deltaPercent()), PERCENT_WIDTH))
          .append("  ");
      if (f.interval() != null) {
        out.append(Fmt.padRight(interval(f), INTERVAL_WIDTH)).append("  ").append(verdict(f));
      } else {
        out.append(verdict(f));
      }
      out.append('\n');
    }
    out.append('\n');
    List<String> small = underMinimumEffect(p);
    if (!small.isEmpty()) {
      HardwareText.wrapped(
          out,
          "  " + Fmt.padRight("under min. effect", TextReport.KEY_WIDTH),
          String.join(", ", small)
              + ": beyond resampling noise, but under "
              + number(c.minEffectPercent())
              + " % of A");
    }
    HardwareText.wrapped(out, "  " + Fmt.padRight("verdict", TextReport.KEY_WIDTH), summary(p));
  }

  /** The heading a figure is listed under, or null for none (it names its own unit). */
  private static String group(Figure f) {
    if (f.unit() == Unit.NANOS) {
      return "latency (ms)";
    }
    if (f.path().startsWith("decode_rate.")) {
      return "decode rate (tok/s)";
    }
    return "throughput, outcomes, hardware";
  }

  /** The row's name: under a heading with the unit, the figure; else with its unit. */
  static String rowName(Figure f) {
    if (f.unit() == Unit.NANOS || f.path().startsWith("decode_rate.")) {
      return f.name();
    }
    return withUnit(f);
  }

  /** The figure with its unit, e.g. {@code TTFT p50 (ms)}; a count and tokens per joule name it. */
  static String withUnit(Figure f) {
    String unit = unit(f.unit());
    return unit == null || f.unit() == Unit.TOKENS_PER_JOULE
        ? f.name()
        : f.name() + " (" + unit + ")";
  }

  /** The unit as the reports write it, or null for a count that names itself. */
  static String unit(Unit u) {
    return switch (u) {
      case NANOS -> "ms";
      case TOKENS_PER_SECOND -> "tok/s";
      case REQUESTS_PER_SECOND -> "req/s";
      case PERCENT -> "%";
      case PERCENT_OF_CORE -> "% core";
      case REQUESTS -> null;
      case JOULES -> "J";
      case TOKENS_PER_JOULE -> "tok/J";
    };
  }

  /** A figure in its reported unit (milliseconds for times), {@link Fmt#sig4} precision. */
  static String value(Unit u, Double v) {
    if (v == null) {
      return Fmt.ABSENT;
    }
    return switch (u) {
      case NANOS -> Fmt.ms(v);
      case REQUESTS -> Long.toString(Math.round(v));
      default -> Fmt.sig4(v);
    };
  }

  /** A difference with its sign: {@code +30.22}, {@code -1.500}, {@code 0}. */
  static String signed(Unit u, Double v) {
    if (v == null) {
      return Fmt.ABSENT;
    }
    String s = value(u, v);
    return v > 0 && !s.startsWith("-") ? "+" + s : s;
  }

  /** A relative difference: {@code +60.3 %}, {@code -4.12 %}. */
  static String percent(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return Fmt.ABSENT;
    }
    double a = Math.abs(v);
    String digits =
        a < 10
            ? String.format(Locale.ROOT, "%.2f", v)
            : a < 100
                ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.0f", v);
    return (v > 0 ? "+" : "") + digits + " %";
  }

  /** {@code [+29.80, +30.64]}, in the figure's unit. */
  static String interval(Figure f) {
    Bootstrap.Interval i = f.interval();
    return i == null
        ? Fmt.ABSENT
        : "[" + signed(f.unit(), i.low()) + ", " + signed(f.unit(), i.high()) + "]";
  }

  /** The verdict in words; for a figure without one, why. */
  static String verdict(Figure f) {
    return switch (f.verdict()) {
      case IMPROVEMENT -> "improvement";
      case REGRESSION -> "regression";
      case NO_SIGNIFICANT_DIFFERENCE -> "no significant difference";
      default -> f.note() == null ? Fmt.ABSENT : f.note();
    };
  }

  /**
   * e.g. {@code regression in TTFT p50, TTFT p90; no improvement; no significant difference in 9
   * figures; 5 without an interval}.
   */
  static String summary(Pair p) {
    List<String> regressions = new ArrayList<>();
    List<String> improvements = new ArrayList<>();
    int same = 0;
    int unjudged = 0;
    for (Figure f : p.figures()) {
      switch (f.verdict()) {
        case REGRESSION -> regressions.add(f.name());
        case IMPROVEMENT -> improvements.add(f.name());
        case NO_SIGNIFICANT_DIFFERENCE -> same++;
        default -> unjudged++;
      }
    }
    return (regressions.isEmpty()
            ? "no regression"
            : "regression in " + String.join(", ", regressions))
        + "; "
        + (improvements.isEmpty()
            ? "no improvement"
            : "improvement in " + String.join(", ", improvements))
        + "; no significant difference in "
        + same
        + (same == 1 ? " figure" : " figures")
        + "; "
        + unjudged
        + " not judged (no interval or absent)";
  }

  /** The figures whose interval leaves out 0 but whose difference is under the minimum effect. */
  static List<String> underMinimumEffect(Pair p) {
    return p.figures().stream()
        .filter(f -> f.verdict() == Verdict.NO_SIGNIFICANT_DIFFERENCE && f.note() != null)
        .map(Figure::name)
        .toList();
  }

  /** Whether any pair has a verdict of {@code v}. */
  static boolean any(RunComparison c, Verdict v) {
    return c.pairs().stream().anyMatch(p -> p.figures().stream().anyMatch(f -> f.verdict() == v));
  }
}
