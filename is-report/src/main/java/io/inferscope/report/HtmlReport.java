package io.inferscope.report;

import io.inferscope.core.Finding;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The report for a person with a browser: one self-contained HTML file with the text report as its
 * summary and, below it, charts of the run on one shared time axis (seconds since the run clock's
 * origin): per-request bars, token rate and requests in flight, chunk gaps, the engine's process
 * tree, and its GPUs. uPlot, the page's script and the run's data are inlined, so the file opens
 * with no network. Text from outside (model names, server messages) is escaped; see ADR 0007.
 */
public final class HtmlReport {

  /** Reports a script error on the page itself, where a reader (or a test) sees it. */
  static final String ERROR_HANDLER =
      "window.addEventListener('error',function(e){var d=document.getElementById('errors');"
          + "if(d){d.textContent+='JavaScript error: '+(e.message||e)+'\\n';}});";

  private HtmlReport() {}

  /** The whole page. */
  public static String render(RunAnalysis a) {
    RunResult run = a.run();
    HtmlChartData.Charts chartData = HtmlChartData.of(a);
    String data = chartData.json();
    String text = TextReport.render(a);
    List<Chart> charts = charts(chartData.notes());
    int expected = 0;
    for (Chart c : charts) {
      expected += c.absent == null ? c.ids.size() : 0;
    }

    StringBuilder out = new StringBuilder(HtmlAssets.UPLOT_JS.length() + data.length() + 32_768);
    RunMeta meta = run.meta();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>inferscope report")
        .append(meta.model() == null ? "" : " · " + esc(meta.model()))
        .append("</title>\n<style>\n")
        .append(HtmlAssets.UPLOT_CSS)
        .append("\n</style>\n<style>\n")
        .append(HtmlAssets.PAGE_CSS)
        .append("\n</style>\n</head>\n<body data-charts-expected=\"")
        .append(expected)
        .append("\">\n<div id=\"errors\"></div>\n<script>")
        .append(ERROR_HANDLER)
        .append("</script>\n");
    header(out, run);
    // The page opens on its charts: one summary line and the findings above them, the whole
    // text report below.
    out.append("<section id=\"summary\">\n<p class=\"strip\">")
        .append(esc(TextReport.oneLineSummary(a)))
        .append("</p>\n</section>\n");
    findings(out, a.findings());
    out.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n")
        .append("<p class=\"hint\">x: seconds since run start · drag to zoom (all charts follow)")
        .append(" · double-click to reset · hover for values</p>\n");
    for (Chart c : charts) {
      c.appendTo(out);
    }
    out.append("</section>\n");
    AttributionHtml.append(out, a.attribution(), a.engine());
    text(out, text);
    out.append("<script type=\"application/json\" id=\"report-data\">")
        .append(data)
        .append("</script>\n<script>\n")
        .append(HtmlAssets.UPLOT_JS)
        .append("\n</script>\n<script>\n")
        .append(HtmlAssets.PAGE_JS)
        .append("\n</script>\n</body>\n</html>\n");
    return out.toString();
  }

  /** Writes the page to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(RunAnalysis a, Path path) throws IOException {
    AtomicFiles.write(path, render(a));
  }

  private static void header(StringBuilder out, RunResult run) {
    RunMeta meta = run.meta();
    out.append("<header>\n<h1>inferscope ")
        .append(esc(meta.toolVersion()))
        .append(" · run report</h1>\n<dl>\n");
    item(out, "url", meta.url());
    item(out, "model", meta.model());
    item(out, "mode", meta.mode());
    item(out, "started", run.clock().originWall().truncatedTo(ChronoUnit.MILLIS).toString());
    item(out, "duration", Fmt.duration(run.endNanos()));
    out.append("</dl>\n</header>\n");
    if (run.partial()) {
      out.append("<div class=\"partial\">PARTIAL: run cut short: ")
          .append(esc(run.stopReason() == null ? "reason not recorded" : run.stopReason()))
          .append("</div>\n");
    }
  }

  private static void item(StringBuilder out, String key, String value) {
    out.append("<dt>")
        .append(key)
        .append("</dt><dd>")
        .append(esc(value == null ? Fmt.ABSENT : value))
        .append("</dd>\n");
  }

  /** The text report itself, below the charts, so the two reports never disagree. */
  private static void text(StringBuilder out, String text) {
    out.append("<section id=\"text\">\n<h2>Text report</h2>\n<pre>")
        .append(esc(text))
        .append("</pre>\n</section>\n");
  }

  /** The findings, warnings first, derived by core exactly as for the text report. */
  private static void findings(StringBuilder out, List<Finding> found) {
    out.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if (found.isEmpty()) {
      out.append("<p class=\"none\">No findings.</p>\n");
    } else {
      out.append("<ul>\n");
      for (Finding f : found) {
        out.append(
                f.severity() == Finding.Severity.WARNING
                    ? "<li class=\"warning\"><b>WARNING</b> "
                    : "<li class=\"info\">")
            .append(esc(f.message()))
            .append("</li>\n");
      }
      out.append("</ul>\n");
    }
    out.append("</section>\n");
  }

  private static List<Chart> charts(ChartNotes data) {
    return List.of(
        Chart.of(data, "requests", "Requests", List.of("chart-requests"), true),
        Chart.of(
            data,
            "rate",
            "Output token rate and requests in flight (warm-up included)",
            List.of("chart-rate"),
            false),
        Chart.of(data, "itl", "Inter-token latency (chunk gaps)", List.of("chart-itl"), false),
        Chart.of(data, "process", "Engine process tree", List.of("chart-process"), false),
        Chart.of(
            data,
            "gpu",
            "GPUs",
            List.of("chart-gpu-sm", "chart-gpu-vram", "chart-gpu-power"),
            false),
        Chart.of(data, "engine", "Engine view (its own /metrics)", List.of("chart-engine"), false));
  }

  /** One chart section: its chart containers, or the line saying why there is nothing to draw. */
  private record Chart(String key, String title, List<String> ids, String absent, String note) {

    static Chart of(ChartNotes notes, String key, String title, List<String> ids, boolean barKey) {
      ChartNotes.Note n = notes.of(key);
      return new Chart(barKey ? "bars" : key, title, ids, n.unavailable(), n.note());
    }

    void appendTo(StringBuilder out) {
      out.append("<section class=\"chart-section\">\n<h3>").append(esc(title)).append("</h3>\n");
      if (absent != null) {
        out.append("<p class=\"absent\">").append(esc(absent)).append("</p>\n</section>\n");
        return;
      }
      if (note != null) {
        out.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
      }
      if (key.equals("bars")) {
        out.append("<p class=\"key\"><span class=\"sw queue\"></span>send to first token")
            .append(" (queue + prefill) <span class=\"sw decode\"></span>first token to end")
            .append(" (decode) <span class=\"sw failed\"></span>failed</p>\n");
      }
      for (String id : ids) {
        out.append("<div class=\"chart\" id=\"").append(id).append("\"></div>\n");
      }
      out.append("</section>\n");
    }
  }

  /** Escapes text for HTML element content and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return Fmt.ABSENT;
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
