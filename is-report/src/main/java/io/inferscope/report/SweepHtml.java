package io.inferscope.report;

import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepAxis;
import io.inferscope.core.SweepLevel;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report of a load sweep for a person with a browser: one self-contained HTML file, opened with
 * no network. The knee in one line, then the throughput–latency curve (x: output tokens per second,
 * y: TTFT p50 and p99, one point per level labelled with its value, the knee marked) beside each
 * level's completeness (a bar per level split into ok, shed, timed out, failed and cancelled), then
 * the text report's tables. The page's script draws both charts as SVG from the sweep's figures
 * inlined as JSON; it computes no figure. See ADR 0012.
 */
public final class SweepHtml {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private SweepHtml() {}

  /** The whole page. */
  public static String render(SweepAnalysis s) {
    List<String> notDrawn = new ArrayList<>();
    int drawable = 0;
    for (SweepLevel l : s.levels()) {
      if (onCurve(l)) {
        drawable++;
      } else {
        notDrawn.add(s.axis().value(l.value()));
      }
    }
    boolean anyRequests = s.levels().stream().anyMatch(l -> l.requests() > 0);
    int expected = (drawable > 0 ? 1 : 0) + (anyRequests ? 1 : 0);
    String data = data(s);

    StringBuilder out = new StringBuilder(data.length() + 32_768);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>inferscope sweep")
        .append(s.model() == null ? "" : " · " + esc(s.model()))
        .append("</title>\n<style>\n")
        .append(HtmlAssets.PAGE_CSS)
        .append("\n</style>\n<style>\n")
        .append(HtmlAssets.SWEEP_CSS)
        .append("\n</style>\n</head>\n<body data-charts-expected=\"")
        .append(expected)
        .append("\">\n<div id=\"errors\"></div>\n<script>")
        .append(HtmlReport.ERROR_HANDLER)
        .append("</script>\n");
    header(out, s);
    out.append("<section id=\"summary\">\n<p class=\"strip\">")
        .append(esc(s.kneeReason()))
        .append("</p>\n");
    if (s.queueing() != null) {
      out.append("<p class=\"strip\">").append(esc(s.queueing().reason())).append("</p>\n");
    }
    out.append("</section>\n<section id=\"charts\">\n");
    out.append("<section class=\"chart-section\" id=\"curve\">\n")
        .append("<h3>Throughput and latency</h3>\n");
    if (drawable == 0) {
      out.append("<p class=\"absent\">Throughput and latency: no level completed a request</p>\n");
    } else {
      out.append("<p class=\"hint\">x: output tokens per second · y: TTFT of completed requests")
          .append(" · one point per level, labelled with its ")
          .append(s.axis().label())
          .append("</p>\n");
      if (!notDrawn.isEmpty()) {
        out.append("<p class=\"note\">not drawn, no completed request or no output: ")
            .append(esc(s.axis().label() + " " + String.join(", ", notDrawn)))
            .append("</p>\n");
      }
      out.append("<div class=\"chart\" id=\"chart-curve\"></div>\n");
    }
    out.append("</section>\n<section class=\"chart-section\" id=\"outcomes\">\n")
        .append("<h3>Completeness per level</h3>\n");
    if (!anyRequests) {
      out.append("<p class=\"absent\">Completeness: no request was measured</p>\n");
    } else {
      out.append("<p class=\"key\"><span class=\"sw ok\"></span>ok")
          .append(" <span class=\"sw shed\"></span>shed (HTTP 429/503)")
          .append(" <span class=\"sw timeouts\"></span>timed out")
          .append(" <span class=\"sw errors\"></span>failed")
          .append(" <span class=\"sw cancelled\"></span>cancelled</p>\n")
          .append("<div class=\"chart\" id=\"chart-completeness\"></div>\n");
    }
    out.append("</section>\n</section>\n");
    out.append("<section id=\"text\">\n<h2>Levels</h2>\n<pre>")
        .append(esc(SweepText.render(s)))
        .append("</pre>\n</section>\n");
    out.append("<script type=\"application/json\" id=\"sweep-data\">")
        .append(data)
        .append("</script>\n<script>\n")
        .append(HtmlAssets.SWEEP_JS)
        .append("\n</script>\n</body>\n</html>\n");
    return out.toString();
  }

  /** Writes the page to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(SweepAnalysis s, Path path) throws IOException {
    AtomicFiles.write(path, render(s));
  }

  /** Whether the level has a point on the curve: output above zero and a TTFT. */
  private static boolean onCurve(SweepLevel l) {
    return l.outputTokensPerSecond() != null
        && l.outputTokensPerSecond() > 0
        && l.ttftP50Nanos() != null
        && l.ttftP99Nanos() != null;
  }

  private static void header(StringBuilder out, SweepAnalysis s) {
    out.append("<header>\n<h1>inferscope ")
        .append(esc(s.toolVersion()))
        .append(" · sweep report</h1>\n<dl>\n");
    item(out, "url", s.url());
    item(out, "model", s.model());
    item(out, "endpoint", s.endpoint());
    item(
        out,
        "sweep",
        s.axis().label()
            + (s.axis() == SweepAxis.CONCURRENCY ? " (closed loop): " : " (open loop): ")
            + String.join(", ", s.levels().stream().map(l -> s.axis().value(l.value())).toList()));
    item(
        out,
        "started",
        s.startedAt() == null ? null : s.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
    if (s.slo() != null) {
      item(out, "SLO", slo(s.slo()));
    }
    out.append("</dl>\n</header>\n");
    if (s.stoppedEarly() != null) {
      out.append("<div class=\"partial\">STOPPED EARLY: ")
          .append(esc(s.stoppedEarly()))
          .append("</div>\n");
    }
  }

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

  private static void item(StringBuilder out, String key, String value) {
    out.append("<dt>")
        .append(key)
        .append("</dt><dd>")
        .append(esc(value == null ? Fmt.ABSENT : value))
        .append("</dd>\n");
  }

  /**
   * What the charts draw, level by level: the figures as the analysis gives them (times in ms for
   * the axis), the counts the bars are split by, and each level's label and hover text written
   * here, so the script only places them.
   */
  static String data(SweepAnalysis s) {
    StringWriter out = new StringWriter(4096);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("axis", s.axis().label());
      if (s.knee() == null) {
        g.writeNullProperty("knee_index");
      } else {
        g.writeNumberProperty("knee_index", s.knee().index());
      }
      g.writeArrayPropertyStart("levels");
      for (SweepLevel l : s.levels()) {
        g.writeStartObject();
        g.writeStringProperty("label", s.axis().value(l.value()));
        g.writeBooleanProperty("on_curve", onCurve(l));
        number(g, "tokens_per_s", l.outputTokensPerSecond());
        number(g, "ttft_p50_ms", ms(l.ttftP50Nanos()));
        number(g, "ttft_p99_ms", ms(l.ttftP99Nanos()));
        g.writeNumberProperty("requests", l.requests());
        g.writeNumberProperty("ok", l.ok());
        g.writeNumberProperty("shed", l.shed());
        g.writeNumberProperty("timeouts", l.timeouts());
        g.writeNumberProperty("errors", l.errors());
        g.writeNumberProperty("cancelled", l.cancelled());
        g.writeStringProperty("completeness", Fmt.percent(l.completenessPercent()));
        g.writeBooleanProperty("partial", l.partial());
        g.writeStringProperty("title", title(s.axis(), l));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return HtmlChartData.scriptSafe(out.toString());
  }

  /** The hover text of a level's point and bar. */
  private static String title(SweepAxis axis, SweepLevel l) {
    return axis.level(l.value())
        + (l.partial() ? " (cut short)" : "")
        + "\n"
        + Fmt.sig4(l.outputTokensPerSecond())
        + " tok/s · "
        + Fmt.sig4(l.requestsPerSecond())
        + " req/s\nTTFT p50 "
        + Fmt.ms(l.ttftP50Nanos())
        + " ms · p99 "
        + Fmt.ms(l.ttftP99Nanos())
        + " ms\ncomplete "
        + Fmt.percent(l.completenessPercent())
        + ": "
        + l.ok()
        + " ok of "
        + l.requests()
        + " · shed "
        + l.shed()
        + " · timeouts "
        + l.timeouts()
        + " · errors "
        + l.errors()
        + " · cancelled "
        + l.cancelled();
  }

  private static Double ms(Double nanos) {
    return nanos == null ? null : nanos / 1e6;
  }

  private static void number(JsonGenerator g, String name, Double v) {
    if (v == null || !Double.isFinite(v)) {
      g.writeNullProperty(name);
    } else {
      g.writeNumberProperty(name, v);
    }
  }

  private static String esc(String s) {
    return HtmlReport.esc(s);
  }
}
