package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Failure;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepAxis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SweepHtmlTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final String DATA_OPEN = "<script type=\"application/json\" id=\"sweep-data\">";

  @TempDir Path dir;

  static JsonNode data(String page) {
    int start = page.indexOf(DATA_OPEN) + DATA_OPEN.length();
    int end = page.indexOf("</script>", start);
    return MAPPER.readTree(page.substring(start, end));
  }

  @Test
  void pageIsSelfContained() {
    String page = SweepHtml.render(SweepFixtures.standard());
    assertThat(page).startsWith("<!DOCTYPE html>");
    assertThat(page)
        .doesNotContain("src=\"http")
        .doesNotContain("href=\"http")
        .doesNotContain("src='http")
        .doesNotContain("//cdn")
        .doesNotContain("<link")
        .doesNotContain("<img")
        .doesNotContain("url(");
    assertThat(page).contains(HtmlAssets.SWEEP_JS).contains(HtmlAssets.SWEEP_CSS);
  }

  @Test
  void theDataIsTheSweepsFiguresLevelByLevel() {
    SweepAnalysis s = SweepFixtures.standard();
    String page = SweepHtml.render(s);
    JsonNode data = data(page);

    assertThat(data.get("axis").asString()).isEqualTo("concurrency");
    assertThat(data.get("knee_index").asInt()).isEqualTo(SweepFixtures.KNEE_INDEX);
    JsonNode levels = data.get("levels");
    assertThat(levels).hasSize(5);
    for (int i = 0; i < 5; i++) {
      var l = s.levels().get(i);
      JsonNode n = levels.get(i);
      assertThat(n.get("tokens_per_s").asDouble()).isEqualTo(l.outputTokensPerSecond());
      assertThat(n.get("ttft_p50_ms").asDouble()).isEqualTo(l.ttftP50Nanos() / 1e6);
      assertThat(n.get("ttft_p99_ms").asDouble()).isEqualTo(l.ttftP99Nanos() / 1e6);
      assertThat(n.get("requests").asInt()).isEqualTo(l.requests());
      assertThat(n.get("on_curve").asBoolean()).isTrue();
    }
    assertThat(levels.get(0).get("label").asString()).isEqualTo("1");
    assertThat(levels.get(4).get("shed").asInt()).isEqualTo(49);
    assertThat(levels.get(4).get("completeness").asString()).isEqualTo("79.4 %");
    assertThat(levels.get(2).get("title").asString())
        .startsWith("concurrency 4\n380.0 tok/s · 19.00 req/s\nTTFT p50 60.00 ms");
    assertThat(page).contains("data-charts-expected=\"2\"");
    assertThat(page).contains("<p class=\"strip\">" + HtmlReport.esc(s.kneeReason()) + "</p>");
    assertThat(page).contains("<div class=\"partial\">STOPPED EARLY: completeness 79.4 %");
    assertThat(page).contains("<dt>sweep</dt><dd>concurrency (closed loop): 1, 2, 4, 8, 16</dd>");
    // The tables are the text report's.
    assertThat(page).contains(HtmlReport.esc(SweepText.render(s)));
  }

  @Test
  void outsideTextIsEscapedAndCannotCloseTheScript() {
    RunMeta meta =
        Fixtures.meta("</script><script>alert(1)</script>")
            .withSetting("x", "y"); // any meta; the model is what matters
    RunAnalysis level =
        RunAnalysis.of(
            new RunResult(
                meta,
                Fixtures.clock(),
                SweepFixtures.level(100, 50, List.of(), false, null, 0).run().traces(),
                SweepFixtures.WINDOW_MS * SweepFixtures.MS,
                false,
                null));
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.RATE, List.of(new SweepAnalysis.Level(1, level)), "stopped <b>by</b> hand");
    String page = SweepHtml.render(s);
    assertThat(page).doesNotContain("<script><script>alert").doesNotContain("<b>by</b>");
    assertThat(page).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(page).contains("stopped &lt;b&gt;by&lt;/b&gt; hand");
    // The data script holds no "<" at all.
    String d = page.substring(page.indexOf(DATA_OPEN) + DATA_OPEN.length());
    assertThat(d.substring(0, d.indexOf("</script>"))).doesNotContain("<");
    assertThat(data(page).get("knee_index").isNull()).isTrue();
  }

  @Test
  void aLevelWithoutCompletedRequestsIsNotDrawnAndSaysSo() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            List.of(
                new SweepAnalysis.Level(1, SweepFixtures.level(100, 50, List.of(), false, null, 0)),
                new SweepAnalysis.Level(
                    2,
                    SweepFixtures.level(
                        0,
                        50,
                        List.of(new Failure.Connect("refused"), new Failure.Connect("refused")),
                        false,
                        null,
                        0))),
            null);
    String page = SweepHtml.render(s);
    assertThat(page)
        .contains(
            "<p class=\"note\">not drawn, no completed request or no output: concurrency 2</p>");
    assertThat(data(page).get("levels").get(1).get("on_curve").asBoolean()).isFalse();
    assertThat(data(page).get("levels").get(1).get("ttft_p50_ms").isNull()).isTrue();
    assertThat(page).contains("data-charts-expected=\"2\"");
  }

  @Test
  void withNothingToDrawTheChartsSayWhy() {
    SweepAnalysis s =
        SweepAnalysis.of(
            SweepAxis.CONCURRENCY,
            List.of(
                new SweepAnalysis.Level(
                    1,
                    SweepFixtures.level(
                        0, 50, List.of(new Failure.Connect("refused")), false, null, 0))),
            null);
    String page = SweepHtml.render(s);
    assertThat(page)
        .contains("<p class=\"absent\">Throughput and latency: no level completed a request</p>")
        .doesNotContain("id=\"chart-curve\"")
        .contains("id=\"chart-completeness\"")
        .contains("data-charts-expected=\"1\"");
  }

  @Test
  void writeIsTheRenderedPage() throws Exception {
    SweepAnalysis s = SweepFixtures.standard();
    Path file = dir.resolve("sweep.html");
    SweepHtml.write(s, file);
    assertThat(Files.readString(file)).isEqualTo(SweepHtml.render(s));
  }
}
