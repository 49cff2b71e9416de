package io.inferscope.report;

import io.inferscope.core.Attribution;
import io.inferscope.core.Price;
import java.util.Locale;

/**
 * The text report's attribution sections: energy by phase, speculative decoding's energy per token,
 * steps, and cost. Figures as {@link Attribution} derived them; nothing computed here.
 */
final class AttributionText {

  private AttributionText() {}

  static void append(StringBuilder out, Attribution a) {
    if (a == null) {
      return;
    }
    energy(out, a);
    steps(out, a);
    cost(out, a.cost());
  }

  private static void energy(StringBuilder out, Attribution a) {
    if (a.energyJoules() == null) {
      return;
    }
    out.append("\nEnergy by phase (GPUs, ")
        .append(joules(a.energyJoules()))
        .append(" over the measured window; prefill includes queueing)\n");
    out.append("  ")
        .append(Fmt.padRight("", TextReport.KEY_WIDTH))
        .append(Fmt.padRight("by time share", 32))
        .append("by token share\n");
    phase(out, "prefill", a.byTime().prefillJoules(), a.byTime().joulesPerPromptToken(), a, true);
    phase(out, "decode", a.byTime().decodeJoules(), a.byTime().joulesPerDecodeToken(), a, false);
    TextReport.kv(
        out,
        "idle",
        Fmt.padRight(joules(a.byTime().idleJoules()), 32)
            + (a.byTokens() == null ? Fmt.ABSENT : joules(a.byTokens().idleJoules()))
            + (a.idleNanos() > 0 ? "  (none in flight " + Fmt.duration(a.idleNanos()) + ")" : ""));
    if (a.speculative() != null) {
      Attribution.SpeculativeEnergy s = a.speculative();
      TextReport.kv(
          out,
          "spec. decoding",
          joulesSmall(s.joulesPerDraftedToken())
              + "/drafted tok, "
              + (s.joulesPerAcceptedToken() == null
                  ? Fmt.ABSENT
                  : joulesSmall(s.joulesPerAcceptedToken()))
              + "/accepted tok ("
              + s.acceptedTokens()
              + " of "
              + s.draftedTokens()
              + "; decode energy by time)");
    }
  }

  private static void phase(
      StringBuilder out, String name, double byTime, Double perToken, Attribution a, boolean pre) {
    Double byTokens =
        a.byTokens() == null
            ? null
            : pre ? a.byTokens().prefillJoules() : a.byTokens().decodeJoules();
    Double perTokenByTokens =
        a.byTokens() == null
            ? null
            : pre ? a.byTokens().joulesPerPromptToken() : a.byTokens().joulesPerDecodeToken();
    String unit = pre ? "/prompt tok" : "/output tok";
    TextReport.kv(
        out,
        name,
        Fmt.padRight(joules(byTime) + "  " + perToken(perToken, unit), 32)
            + (byTokens == null
                ? Fmt.ABSENT
                : joules(byTokens) + "  " + perToken(perTokenByTokens, unit)));
  }

  private static String perToken(Double j, String unit) {
    return j == null ? "" : joulesSmall(j) + unit;
  }

  private static void steps(StringBuilder out, Attribution a) {
    if (a.steps().isEmpty()) {
      return;
    }
    out.append("\nSteps (")
        .append(a.steps().size())
        .append("; energy by time share")
        .append(a.cost() == null ? "" : ", cost as priced below")
        .append(")\n");
    out.append("  ")
        .append(Fmt.padRight("step", TextReport.KEY_WIDTH))
        .append(Fmt.padLeft("requests", 9))
        .append(Fmt.padLeft("latency", 11))
        .append(Fmt.padLeft("prompt", 9))
        .append(Fmt.padLeft("output", 9))
        .append(Fmt.padLeft("energy", 11))
        .append(Fmt.padLeft("cost", 12))
        .append('\n');
    for (Attribution.StepFigures s : a.steps()) {
      out.append("  ")
          .append(
              Fmt.padRight(Fmt.fit(TextReport.text(s.step().label()), 19), TextReport.KEY_WIDTH))
          .append(Fmt.padLeft(s.completed() + "/" + s.requests(), 9))
          .append(Fmt.padLeft(Fmt.duration(s.latencyNanos()), 11))
          .append(Fmt.padLeft(Fmt.count(s.promptTokens()), 9))
          .append(Fmt.padLeft(Fmt.count(s.outputTokens()), 9))
          .append(Fmt.padLeft(s.joulesByTime() == null ? Fmt.ABSENT : joules(s.joulesByTime()), 11))
          .append(Fmt.padLeft(usd(s.usd()), 12))
          .append('\n');
      if (!s.unknownRequestIds().isEmpty()) {
        out.append("    not in the run's measured requests: ")
            .append(s.unknownRequestIds())
            .append('\n');
      }
    }
  }

  private static void cost(StringBuilder out, Attribution.Cost c) {
    if (c == null) {
      return;
    }
    Price p = c.price();
    out.append("\nCost (")
        .append(
            p.usdPerHour() != null
                ? usd(p.usdPerHour()) + " per hour of the measured window"
                : usd(p.usdPerKwh()) + " per kWh of the GPUs' energy")
        .append(")\n");
    if (c.totalUsd() == null) {
      TextReport.kv(out, "total", "not available: " + c.unavailableReason());
      return;
    }
    TextReport.kv(
        out,
        "total",
        usd(c.totalUsd()) + " (of which idle, no request in flight: " + usd(c.idleUsd()) + ")");
    TextReport.kv(out, "per 1M output tok", usd(c.usdPerMillionOutputTokens()));
    TextReport.kv(out, "per completed req", usd(c.usdPerCompletedRequest()));
  }

  static String joules(double j) {
    return Fmt.sig4(j) + " J";
  }

  /** Joules per token: millijoules below a tenth of a joule. */
  static String joulesSmall(double j) {
    return j < 0.1 ? Fmt.sig4(j * 1000) + " mJ" : Fmt.sig4(j) + " J";
  }

  /** Dollars: cents from a dollar up, four significant digits below. */
  static String usd(Double v) {
    if (v == null || !Double.isFinite(v)) {
      return Fmt.ABSENT;
    }
    return v >= 1 || v == 0
        ? String.format(Locale.ROOT, "$%,.2f", v)
        : String.format(Locale.ROOT, "$%.4g", v);
  }
}
