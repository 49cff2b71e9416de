package io.inferscope.report;

import static io.inferscope.report.HtmlReport.esc;

import io.inferscope.core.Attribution;
import io.inferscope.core.EngineView;
import io.inferscope.core.Price;

/**
 * The page's attribution section: energy by phase, speculative decoding, LoRA adapters, steps and
 * cost as tables, with the same figures and words as {@link AttributionText}. Nothing computed
 * here.
 */
final class AttributionHtml {

  private AttributionHtml() {}

  static void append(StringBuilder out, Attribution a, EngineView engine) {
    boolean lora = engine != null && !engine.loraAdapters().isEmpty();
    if (a == null && !lora) {
      return;
    }
    out.append("<section id=\"attribution\">\n<h2>Attribution</h2>\n");
    if (a != null && a.energyJoules() != null) {
      energy(out, a);
    }
    if (lora) {
      lora(out, engine);
    }
    if (a != null && !a.steps().isEmpty()) {
      steps(out, a);
    }
    if (a != null && a.cost() != null) {
      cost(out, a.cost());
    }
    out.append("</section>\n");
  }

  private static void energy(StringBuilder out, Attribution a) {
    out.append("<h3>Energy by phase</h3>\n<p class=\"note\">GPUs, ")
        .append(AttributionText.joules(a.energyJoules()))
        .append(" over the measured window; prefill is send to first token, queueing included")
        .append(" (ADR 0017 states the method).</p>\n<table class=\"attr\" id=\"energy-by-phase\">")
        .append("<tr><th>phase</th><th>by time share</th><th>per token</th>")
        .append("<th>by token share</th><th>per token</th></tr>\n");
    Attribution.PhaseSplit t = a.byTime();
    Attribution.PhaseSplit k = a.byTokens();
    row(
        out,
        "prefill",
        AttributionText.joules(t.prefillJoules()),
        perToken(t.joulesPerPromptToken()),
        k == null ? Fmt.ABSENT : AttributionText.joules(k.prefillJoules()),
        k == null ? Fmt.ABSENT : perToken(k.joulesPerPromptToken()));
    row(
        out,
        "decode",
        AttributionText.joules(t.decodeJoules()),
        perToken(t.joulesPerDecodeToken()),
        k == null ? Fmt.ABSENT : AttributionText.joules(k.decodeJoules()),
        k == null ? Fmt.ABSENT : perToken(k.joulesPerDecodeToken()));
    row(
        out,
        "idle",
        AttributionText.joules(t.idleJoules()),
        "",
        k == null ? Fmt.ABSENT : AttributionText.joules(k.idleJoules()),
        "");
    out.append("</table>\n");
    if (a.speculative() != null) {
      Attribution.SpeculativeEnergy s = a.speculative();
      out.append("<p id=\"speculative\">Speculative decoding: ")
          .append(esc(perToken(s.joulesPerDraftedToken())))
          .append(" per drafted token, ")
          .append(
              esc(
                  s.joulesPerAcceptedToken() == null
                      ? Fmt.ABSENT
                      : perToken(s.joulesPerAcceptedToken())))
          .append(" per accepted (")
          .append(s.acceptedTokens())
          .append(" of ")
          .append(s.draftedTokens())
          .append(" in the window; decode energy by time share)</p>\n");
    }
  }

  private static String perToken(Double j) {
    return j == null ? Fmt.ABSENT : AttributionText.joulesSmall(j);
  }

  private static void lora(StringBuilder out, EngineView e) {
    out.append("<h3>LoRA adapters the engine reported</h3>\n")
        .append("<table class=\"attr\" id=\"lora\"><tr><th>adapter</th><th>running at reads</th>")
        .append("<th>waiting at reads</th><th>first seen</th><th>last seen</th></tr>\n");
    for (EngineView.LoraAdapter l : e.loraAdapters()) {
      row(
          out,
          l.name(),
          Integer.toString(l.runningReads()),
          Integer.toString(l.waitingReads()),
          Fmt.seconds((double) l.firstSeenNanos()) + " s",
          Fmt.seconds((double) l.lastSeenNanos()) + " s");
    }
    out.append("</table>\n");
    if (e.loraMax() != null) {
      out.append("<p class=\"note\">at most ")
          .append(e.loraMax())
          .append(" adapters per batch</p>\n");
    }
  }

  private static void steps(StringBuilder out, Attribution a) {
    out.append("<h3>Steps</h3>\n<table class=\"attr\" id=\"steps\"><tr><th>step</th>")
        .append("<th>completed / requests</th><th>latency</th><th>prompt tokens</th>")
        .append("<th>output tokens</th><th>energy (time share)</th>")
        .append("<th>energy (token share)</th><th>cost</th></tr>\n");
    for (Attribution.StepFigures s : a.steps()) {
      row(
          out,
          s.step().label(),
          s.completed() + " / " + s.requests(),
          Fmt.duration(s.latencyNanos()),
          Fmt.count(s.promptTokens()),
          Fmt.count(s.outputTokens()),
          s.joulesByTime() == null ? Fmt.ABSENT : AttributionText.joules(s.joulesByTime()),
          s.joulesByTokens() == null ? Fmt.ABSENT : AttributionText.joules(s.joulesByTokens()),
          AttributionText.usd(s.usd()));
    }
    out.append("</table>\n");
  }

  private static void cost(StringBuilder out, Attribution.Cost c) {
    Price p = c.price();
    out.append("<h3>Cost</h3>\n<p class=\"note\">")
        .append(
            esc(
                p.usdPerHour() != null
                    ? AttributionText.usd(p.usdPerHour()) + " per hour of the measured window"
                    : AttributionText.usd(p.usdPerKwh()) + " per kWh of the GPUs' energy"))
        .append("</p>\n");
    if (c.totalUsd() == null) {
      out.append("<p class=\"absent\">not available: ")
          .append(esc(c.unavailableReason()))
          .append("</p>\n");
      return;
    }
    out.append("<table class=\"attr\" id=\"cost\">\n");
    row(out, "total", AttributionText.usd(c.totalUsd()));
    row(out, "idle (part of the total, of no request)", AttributionText.usd(c.idleUsd()));
    row(out, "per million output tokens", AttributionText.usd(c.usdPerMillionOutputTokens()));
    row(out, "per completed request", AttributionText.usd(c.usdPerCompletedRequest()));
    out.append("</table>\n");
  }

  private static void row(StringBuilder out, String... cells) {
    out.append("<tr>");
    for (String c : cells) {
      out.append("<td>").append(esc(c)).append("</td>");
    }
    out.append("</tr>\n");
  }
}
