package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Bootstrap;
import io.inferscope.core.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CompareHtmlTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final String DATA_OPEN = "<script type=\"application/json\" id=\"compare-data\">";

  static JsonNode data(String page) {
    int start = page.indexOf(DATA_OPEN) + DATA_OPEN.length();
    return MAPPER.readTree(page.substring(start, page.indexOf("</script>", start)));
  }

  @Test
  void pageIsSelfContainedAndWellFormed() throws Exception {
    String page = CompareHtml.render(CompareFixtures.standard());
    assertThat(page).startsWith("<!DOCTYPE html>");
    assertThat(page)
        .doesNotContain("src=\"http")
        .doesNotContain("href=\"http")
        .doesNotContain("<link")
        .doesNotContain("<img")
        .doesNotContain("url(");
    assertThat(page).contains(HtmlAssets.COMPARE_JS).contains(HtmlAssets.COMPARE_CSS);
    // Every element the page writes is closed in order (the scripts and styles aside, which are
    // text): parsed as XML after the doctype and the void elements.
    String body =
        page.replace("<!DOCTYPE html>", "")
            .replaceAll("(?s)<script>.*?</script>", "")
            .replaceAll("(?s)<script type=\"application/json\"[^>]*>.*?</script>", "")
            .replaceAll("(?s)<style>.*?</style>", "")
            .replaceAll("<meta [^>]*>", "");
    javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(
            new java.io.ByteArrayInputStream(
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void theTablesAreTheComparisonsAndTheChartsItsDistributions() {
    RunComparison c = CompareFixtures.standard();
    String page = CompareHtml.render(c);
    assertThat(page).contains("data-charts-expected=\"4\"");
    assertThat(page)
        .contains("<tr data-path=\"ttft.p50\" class=\"regression\"><th>TTFT p50 (ms)</th>")
        .contains("<tr data-path=\"tpot.p50\" class=\"no-significant-difference\">")
        .contains("<td class=\"verdict\">no significant difference</td>")
        .contains("<li>model: llama-3.1-8b-instruct vs other-model</li>");
    JsonNode charts = data(page).get("charts");
    assertThat(charts).hasSize(4);
    JsonNode ttft = charts.get(0);
    assertThat(ttft.get("id").asString()).isEqualTo("chart-ttft");
    assertThat(ttft.get("series")).hasSize(2);
    RunComparison.Distribution d = c.distributions().getFirst();
    assertThat(ttft.get("series").get(1).get("values").get(100).asDouble())
        .isEqualTo(d.percentiles().get(1)[100] * 1e-6);
    assertThat(ttft.get("series").get(1).get("marks").get(2).get("title").asString())
        .startsWith("B runs/b.json\nTTFT p99 ");
    assertThat(page).contains(HtmlReport.esc(CompareText.render(c)));
  }

  @Test
  void outsideTextIsEscapedAndCannotCloseTheScript(@TempDir Path dir) throws Exception {
    RunComparison c =
        RunComparison.of(
            List.of(
                new RunComparison.Input(
                    "</script><b>a</b>.json", 3, CompareFixtures.run(50, 1, "m")),
                new RunComparison.Input("b.json", 3, CompareFixtures.run(50, 2, "m"))),
            Bootstrap.Settings.DEFAULT);
    String page = CompareHtml.render(c);
    assertThat(page).doesNotContain("<b>a</b>").contains("&lt;/script&gt;&lt;b&gt;a&lt;/b&gt;");
    String d = page.substring(page.indexOf(DATA_OPEN) + DATA_OPEN.length());
    assertThat(d.substring(0, d.indexOf("</script>"))).doesNotContain("<");
    Path file = dir.resolve("c.html");
    CompareHtml.write(c, file);
    assertThat(Files.readString(file)).isEqualTo(page);
  }
}
