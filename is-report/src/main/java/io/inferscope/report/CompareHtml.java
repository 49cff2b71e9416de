package io.inferscope.report;

import io.inferscope.core.RunComparison;
import io.inferscope.core.RunComparison.Distribution;
import io.inferscope.core.RunComparison.Figure;
import io.inferscope.core.RunComparison.Pair;
import io.inferscope.core.RunComparison.Run;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The comparison for a person with a browser: one self-contained HTML file, opened with no network.
 * The runs, then per run against the baseline what differs and the table of figures with each
 * verdict, then each latency figure's distribution in every run overlaid (a percentile curve per
 * run: x the figure, y the share of values at or below it, p50, p90 and p99 marked), then the text
 * report. The page's script draws the curves as SVG from the comparison's distributions inlined as
 * JSON; it computes no figure. The sweep page's approach ({@link SweepHtml}).
 */
public final class CompareHtml {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** The percentiles marked on each curve, as indexes into {@link Distribution#GRID}. */
  private static final int[] MARKED = {100, 180, 198};

  private CompareHtml() {}

  /** The whole page. */
  public static String render(RunComparison c) {
    String data = data(c);
    int expected = 0;
    for (Distribution d : c.distributions()) {
      expected += drawable(d) ? 1 : 0;
    }
    StringBuilder out = new StringBuilder(data.length() + 32_768);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>inferscope comparison of ")
        .append(c.runs().size())
        .append(" runs</title>\n<style>\n")
        .append(HtmlAssets.PAGE_CSS)
        .append("\n</style>\n<style>\n")
        .append(HtmlAssets.COMPARE_CSS)
        .append("\n</style>\n</head>\n<body data-charts-expected=\"")
        .append(expected)
        .append("\">\n<div id=\"errors\"></div>\n<script>")
        .append(HtmlReport.ERROR_HANDLER)
        .append("</script>\n");
    header(out, c);
    for (int i = 0; i < c.pairs().size(); i++) {
      pair(out, c, c.pairs().get(i), i + 1);
    }
    out.append("<section id=\"distributions\">\n<h2>Distributions</h2>\n")
        .append("<p class=\"hint\">each run's values of the figure, completed requests only:")
        .append(" x the value, y the percent of values at or below it · p50, p90 and p99")
        .append(" marked · hover for values</p>\n<p class=\"key\">");
    for (int i = 0; i < c.runs().size(); i++) {
      out.append("<span class=\"sw run-")
          .append(i % 6)
          .append("\"></span>")
          .append(CompareText.letter(i))
          .append(": ")
          .append(esc(c.runs().get(i).label()))
          .append(' ');
    }
    out.append("</p>\n<div id=\"charts\">\n");
    for (Distribution d : c.distributions()) {
      out.append("<section class=\"chart-section\">\n<h3>")
          .append(esc(d.name()))
          .append(" (")
          .append(CompareText.unit(d.unit()))
          .append(")</h3>\n");
      if (drawable(d)) {
        out.append("<div class=\"chart\" id=\"chart-").append(d.metric()).append("\"></div>\n");
      } else {
        out.append("<p class=\"absent\">").append(esc(d.name())).append(": in no run</p>\n");
      }
      out.append("</section>\n");
    }
    out.append("</div>\n</section>\n");
    out.append("<section id=\"text\">\n<h2>Text report</h2>\n<pre>")
        .append(esc(CompareText.render(c)))
        .append("</pre>\n</section>\n");
    out.append("<script type=\"application/json\" id=\"compare-data\">")
        .append(data)
        .append("</script>\n<script>\n")
        .append(HtmlAssets.COMPARE_JS)
        .append("\n</script>\n</body>\n</html>\n");
    return out.toString();
  }

  /** Writes the page to {@code path} atomically (see {@link AtomicFiles}). */
  public static void write(RunComparison c, Path path) throws IOException {
    AtomicFiles.write(path, render(c));
  }

  private static boolean drawable(Distribution d) {
    return d.percentiles().stream().anyMatch(p -> p != null);
  }

  private static void header(StringBuilder out, RunComparison c) {
    out.append("<header>\n<h1>inferscope ")
        .append(esc(c.runs().getFirst().toolVersion()))
        .append(" · comparison of ")
        .append(c.runs().size())
        .append(" runs</h1>\n<dl>\n");
    for (int i = 0; i < c.runs().size(); i++) {
      Run r = c.runs().get(i);
      out.append("<dt>")
          .append(CompareText.letter(i))
          .append(i == 0 ? " (baseline)" : "")
          .append("</dt><dd><b>")
          .append(esc(r.label()))
          .append("</b> · ")
          .append(esc(CompareText.runLine(r)))
          .append("</dd>\n");
    }
    out.append("<dt>intervals</dt><dd>")
        .append(esc(CompareText.method(c)))
        .append("</dd>\n</dl>\n</header>\n");
  }

  private static void pair(StringBuilder out, RunComparison c, Pair p, int index) {
    String b = CompareText.letter(index);
    out.append("<section class=\"pair\" id=\"pair-")
        .append(b)
        .append("\">\n<h2>")
        .append(b)
        .append(" against A (baseline): ")
        .append(esc(p.run().label()))
        .append("</h2>\n<p class=\"strip\">")
        .append(esc(CompareText.summary(p)))
        .append("</p>\n");
    if (p.differences().isEmpty()) {
      out.append("<p class=\"note\">The runs' settings are the same.</p>\n");
    } else {
      out.append("<div class=\"differs\"><b>What differs</b> (the figures are compared anyway)")
          .append("<ul>\n");
      for (String d : p.differences()) {
        out.append("<li>").append(esc(d)).append("</li>\n");
      }
      out.append("</ul></div>\n");
    }
    out.append("<table class=\"figures\">\n<thead><tr><th>figure</th><th>A</th><th>")
        .append(b)
        .append("</th><th>Δ</th><th>Δ %</th><th>")
        .append(esc(CompareText.confidence(c.settings())))
        .append(" interval</th><th>verdict</th></tr></thead>\n<tbody>\n");
    for (Figure f : p.figures()) {
      out.append("<tr data-path=\"")
          .append(esc(f.path()))
          .append("\" class=\"")
          .append(f.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .append("\"><th>")
          .append(esc(CompareText.withUnit(f)))
          .append("</th><td>")
          .append(esc(CompareText.value(f.unit(), f.baseline())))
          .append("</td><td>")
          .append(esc(CompareText.value(f.unit(), f.value())))
          .append("</td><td>")
          .append(esc(CompareText.signed(f.unit(), f.delta())))
          .append("</td><td>")
          .append(esc(CompareText.percent(f.deltaPercent())))
          .append("</td><td>")
          .append(f.interval() == null ? "" : esc(CompareText.interval(f)))
          .append("</td><td class=\"verdict\">")
          .append(esc(CompareText.verdict(f) + CompareMarkdown.under(c, f)))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</section>\n");
  }

  /**
   * What the charts draw: per distribution and run, the values (milliseconds for times) at the
   * percentile grid, and the marked percentiles' hover text, written here so the script only places
   * them.
   */
  static String data(RunComparison c) {
    StringWriter out = new StringWriter(16_384);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayPropertyStart("grid");
      for (double p : Distribution.GRID) {
        g.writeNumber(p);
      }
      g.writeEndArray();
      g.writeArrayPropertyStart("charts");
      for (Distribution d : c.distributions()) {
        if (!drawable(d)) {
          continue;
        }
        double scale = d.unit() == RunComparison.Unit.NANOS ? 1e-6 : 1;
        String unit = CompareText.unit(d.unit());
        g.writeStartObject();
        g.writeStringProperty("id", "chart-" + d.metric());
        g.writeStringProperty("label", d.name() + " (" + unit + ")");
        g.writeArrayPropertyStart("series");
        for (int r = 0; r < d.percentiles().size(); r++) {
          double[] values = d.percentiles().get(r);
          if (values == null) {
            continue;
          }
          String who = CompareText.letter(r) + " " + c.runs().get(r).label();
          g.writeStartObject();
          g.writeNumberProperty("run", r);
          g.writeStringProperty("title", who);
          g.writeArrayPropertyStart("values");
          for (double v : values) {
            g.writeNumber(v * scale);
          }
          g.writeEndArray();
          g.writeArrayPropertyStart("marks");
          for (int i : MARKED) {
            g.writeStartObject();
            g.writeNumberProperty("index", i);
            g.writeStringProperty(
                "title",
                who
                    + "\n"
                    + d.name()
                    + " p"
                    + (int) Distribution.GRID[i]
                    + " "
                    + CompareText.value(d.unit(), values[i])
                    + " "
                    + unit);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return HtmlChartData.scriptSafe(out.toString());
  }

  private static String esc(String s) {
    return HtmlReport.esc(s);
  }
}
