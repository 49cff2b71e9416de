package io.inferscope.report;

import static io.inferscope.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.RequestMetrics;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.core.Timeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HtmlReportTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final String DATA_OPEN = "<script type=\"application/json\" id=\"report-data\">";

  @TempDir Path dir;

  static JsonNode data(String page) {
    int start = page.indexOf(DATA_OPEN) + DATA_OPEN.length();
    int end = page.indexOf("</script>", start);
    return MAPPER.readTree(page.substring(start, end));
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void pageIsSelfContained() {
    String page = HtmlReport.render(RunAnalysis.of(HtmlFixtures.run()));

    assertThat(page).startsWith("<!DOCTYPE html>");
    assertThat(page)
        .doesNotContain("src=\"http")
        .doesNotContain("href=\"http")
        .doesNotContain("src='http")
        .doesNotContain("//cdn")
        .doesNotContain("<link");
    // uPlot itself is inlined, not referenced.
    assertThat(page).contains("uPlot").contains(".u-legend");
  }

  @Test
  void dataMatchesTheRun() {
    RunResult run = HtmlFixtures.run();
    JsonNode data = data(HtmlReport.render(RunAnalysis.of(run)));

    assertThat(data.get("end_ms").asDouble()).isEqualTo(3000.0);
    JsonNode requests = data.get("requests");
    assertThat(requests.get("total").asInt()).isEqualTo(HtmlFixtures.MEASURED);
    assertThat(requests.get("id")).hasSize(HtmlFixtures.MEASURED);
    // The first measured request by send time is request 1, sent at 100 ms with TTFT 40 ms.
    RequestTrace first = run.traces().get(1);
    double ttftMs = RequestMetrics.of(first).ttftNanos() / 1e6;
    assertThat(requests.get("id").get(0).asInt()).isEqualTo(1);
    assertThat(requests.get("send_ms").get(0).asDouble()).isEqualTo(100.0);
    assertThat(
            requests.get("first_ms").get(0).asDouble() - requests.get("send_ms").get(0).asDouble())
        .isEqualTo(ttftMs)
        .isEqualTo(40.0);
    assertThat(requests.get("failure").get(4).asString()).isEqualTo("http_500");

    JsonNode itl = data.get("itl");
    long gaps = 0;
    for (RequestTrace t : run.traces()) {
      gaps += t.warmup() ? 0 : RequestMetrics.of(t).chunkGapsNanos().length;
    }
    assertThat(itl.get("t_ms")).hasSize((int) gaps);
    assertThat(itl.has("note")).isFalse();

    JsonNode rate = data.get("rate");
    assertThat(rate.get("bin_ms").asDouble()).isEqualTo(250.0);
    assertThat(rate.get("t_ms")).hasSize(12);

    JsonNode process = data.get("process");
    assertThat(process.get("t_ms")).hasSize(7);
    assertThat(process.get("cpu_percent").get(0).isNull()).isTrue();
    assertThat(process.get("cpu_percent").get(1).asDouble()).isCloseTo(100.0, within(1e-9));

    JsonNode gpu = data.get("gpu");
    assertThat(gpu.get("devices")).hasSize(2);
    assertThat(gpu.get("t_ms")).hasSize(7);
    assertThat(gpu.get("sm_percent").get(1).get(0).asInt()).isEqualTo(70);
    assertThat(gpu.get("power_w").get(0).get(0).asDouble()).isEqualTo(400.0);
  }

  @Test
  void outsideTextCannotCloseTheScript() {
    String evil = "x</script><script>alert(1)</script><!--";
    List<RequestTrace> traces = new ArrayList<>(Fixtures.standardTraces());
    traces.add(Fixtures.failed(9, 900, 5, 500, new Failure.Http(500, evil)));
    HardwareSamples hw =
        new HardwareSamples(
            4242,
            Fixtures.processTree(),
            List.of(new GpuDevice(0, evil, "GPU-x", 1L, null), Fixtures.gpuDevices().get(1)),
            Fixtures.gpu());
    RunResult run =
        new RunResult(Fixtures.meta(evil), Fixtures.clock(), traces, 3000 * MS, true, evil, hw);

    String page = HtmlReport.render(RunAnalysis.of(run));

    assertThat(page).doesNotContain("<script>alert").doesNotContain("</script><");
    assertThat(page).contains("x\\u003c/script>\\u003cscript>alert(1)");
    // Only the page's own four scripts open and close.
    assertThat(count(page, "<script")).isEqualTo(4);
    assertThat(count(page, "</script>")).isEqualTo(4);
    assertThat(page).contains("x&lt;/script&gt;&lt;script&gt;alert(1)");
    // The JSON still carries the text intact.
    assertThat(data(page).get("gpu").get("devices").get(0).get("name").asString()).isEqualTo(evil);
  }

  @Test
  void absentGpuShowsTheReason() {
    HardwareSamples hw =
        new HardwareSamples(
            4242,
            Fixtures.processTree(),
            List.of(),
            Timeline.unavailable("nvml", 500 * MS, "libnvidia-ml.so.1 not found"));
    String page = HtmlReport.render(RunAnalysis.of(Fixtures.run(Fixtures.standardTraces(), hw)));

    assertThat(page)
        .contains("<p class=\"absent\">GPU: not available (libnvidia-ml.so.1 not found)");
    assertThat(page).doesNotContain("id=\"chart-gpu-sm\"");
    assertThat(page).contains("data-charts-expected=\"4\"");
  }

  @Test
  void nothingSampledSaysSo() {
    String page = HtmlReport.render(RunAnalysis.of(Fixtures.standardRun()));

    assertThat(page).contains("Process tree: not sampled").contains("GPU: not sampled");
    assertThat(page).contains("data-charts-expected=\"3\"");
  }

  @Test
  void sampleOnlyRunHasOnlyHardwareCharts() {
    String page = HtmlReport.render(RunAnalysis.of(Fixtures.sampleOnly(Fixtures.hardware())));

    assertThat(page).contains("Requests: none measured").contains("Token rate: no requests");
    assertThat(page).contains("data-charts-expected=\"4\"");
  }

  @Test
  void partialRunShowsBanner() {
    RunResult partial =
        new RunResult(
            Fixtures.meta("m"),
            Fixtures.clock(),
            Fixtures.standardTraces(),
            3000 * MS,
            true,
            "interrupted (SIGINT)");

    assertThat(HtmlReport.render(RunAnalysis.of(partial)))
        .contains("<div class=\"partial\">PARTIAL: run cut short: interrupted (SIGINT)</div>");
    assertThat(HtmlReport.render(RunAnalysis.of(Fixtures.standardRun())))
        .doesNotContain("class=\"partial\"");
  }

  @Test
  void headerAndSummary() {
    String page = HtmlReport.render(RunAnalysis.of(HtmlFixtures.run()));

    assertThat(page)
        .contains("<h1>inferscope 0.1.0 · run report</h1>")
        .contains("<dd>http://localhost:8000</dd>")
        .contains("<dd>llama-3.1-8b-instruct</dd>")
        .contains("<dd>run</dd>")
        .contains("<dd>2025-06-01T12:00:00.123Z</dd>");
    // A summary line first, then findings, charts, and the text report itself at the end.
    RunAnalysis a = RunAnalysis.of(HtmlFixtures.run());
    String firstLine = TextReport.render(a).lines().findFirst().orElseThrow();
    assertThat(page).contains("<pre>" + HtmlReport.esc(firstLine));
    assertThat(page)
        .contains("<p class=\"strip\">" + HtmlReport.esc(TextReport.oneLineSummary(a)) + "</p>");
    assertThat(page.indexOf("id=\"summary\""))
        .isLessThan(page.indexOf("id=\"findings\""))
        .isLessThan(page.indexOf("id=\"timeline\""));
    assertThat(page.indexOf("id=\"timeline\"")).isLessThan(page.indexOf("id=\"text\""));
  }

  @Test
  void findingsListTheTextReportFindings() {
    List<RequestTrace> traces = List.of(Fixtures.ok(0, false, 0, 0, 40, 4, 10, 8, null));
    RunResult run = Fixtures.run(traces);
    String page = HtmlReport.render(RunAnalysis.of(run));

    assertThat(page).contains("<section id=\"findings\">");
    assertThat(page)
        .containsPattern("<li[^>]*>[^<]*(<b>WARNING</b> )?usage differs from text chunks");
    assertThat(page).doesNotContain("No findings.");
  }

  @Test
  void findingsAreCoresFindingsEachListedOnce() {
    RunResult run = Fixtures.standardRun();
    String page = HtmlReport.render(RunAnalysis.of(run));
    List<io.inferscope.core.Finding> expected = RunAnalysis.of(run).findings();
    assertThat(expected).isNotEmpty();
    for (io.inferscope.core.Finding f : expected) {
      String li =
          (f.severity() == io.inferscope.core.Finding.Severity.WARNING
                  ? "<li class=\"warning\"><b>WARNING</b> "
                  : "<li class=\"info\">")
              + HtmlReport.esc(f.message())
              + "</li>";
      assertThat(page.split(java.util.regex.Pattern.quote(li), -1)).as(li).hasSize(2);
    }
  }

  @Test
  void noFindingsSaysSo() {
    assertThat(
            HtmlReport.render(
                RunAnalysis.of(
                    Fixtures.run(List.of(Fixtures.ok(0, false, 0, 0, 40, 4, 10, 4, null))))))
        .contains("<section id=\"findings\">");
  }

  @Test
  void longRunsAreCapped() {
    int events = HtmlChartData.MAX_ITL_POINTS + 10_001;
    EventLog.Builder b = new EventLog.Builder(events);
    for (int i = 0; i < events; i++) {
      b.add((10 + i) * MS / 10, ChunkKind.CONTENT, 1);
    }
    long end = (10L + events) * MS / 10;
    RequestTrace t =
        new RequestTrace(0, false, 0, 0, MS, end, 200, b.build(), null, null, "stop", null);
    RunResult run =
        new RunResult(Fixtures.meta("m"), Fixtures.clock(), List.of(t), end, false, null);

    String page = HtmlReport.render(RunAnalysis.of(run));
    JsonNode itl = data(page).get("itl");

    assertThat(itl.get("total").asInt()).isEqualTo(events - 1);
    assertThat(itl.get("t_ms")).hasSize(HtmlChartData.MAX_ITL_POINTS);
    assertThat(itl.get("note").asString())
        .isEqualTo("showing 50000 of 60000 chunk gaps, evenly spaced");
    assertThat(page).contains("<p class=\"note\">showing 50000 of 60000 chunk gaps");
    assertThat(page.length()).isLessThan(2_000_000);
  }

  @Test
  void evenlyPicksSpreadIndices() {
    assertThat(HtmlChartData.evenly(3, 10)).containsExactly(0, 1, 2);
    assertThat(HtmlChartData.evenly(10, 4)).containsExactly(0, 2, 5, 7);
    assertThat(HtmlChartData.evenly(0, 4)).isEmpty();
  }

  @Test
  void writeMatchesRender() throws IOException {
    Path file = dir.resolve("report.html");
    HtmlReport.write(RunAnalysis.of(HtmlFixtures.run()), file);

    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .isEqualTo(HtmlReport.render(RunAnalysis.of(HtmlFixtures.run())));
  }
}
