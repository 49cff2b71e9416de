package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.inferscope.core.HardwareSamples;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FindingsReportTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static JsonNode metrics(RunResult run) {
    return MAPPER.readTree(JsonReport.toJson(RunAnalysis.of(run))).get("metrics");
  }

  private static RunResult withHardware() {
    return Fixtures.run(Fixtures.standardTraces(), Fixtures.hardware());
  }

  @Test
  void findingsArePlainObjectsWarningsFirst() {
    JsonNode f = metrics(Fixtures.standardRun()).get("findings");
    List<String> codes = new ArrayList<>();
    f.forEach(n -> codes.add(n.get("code").asString()));
    assertThat(codes).containsExactly("requests_failed", "requests_shed", "token_accounting");
    assertThat(f.get(0).get("severity").asString()).isEqualTo("warning");
    assertThat(f.get(0).get("message").asString())
        .isEqualTo(
            "4 of 8 requests failed or were cancelled"
                + " (by code: cancelled 1, http_500 1, shed_503 1, 1 more)");
    assertThat(f.get(2).get("severity").asString()).isEqualTo("info");
  }

  @Test
  void phasesCoverTheMeasuredWindow() {
    JsonNode m = metrics(Fixtures.standardRun());
    // requests 1 to 8 one after another, except 8 (800..850 ms) beside the timeout (700..2700 ms)
    assertThat(m.get("steady_in_flight").asInt()).isEqualTo(1);
    JsonNode p = m.get("phases");
    assertThat(p.size()).isEqualTo(1);
    assertThat(p.get(0).get("kind").asString()).isEqualTo("steady");
    assertThat(p.get(0).get("start_ns").asLong()).isEqualTo(100 * Fixtures.MS);
    assertThat(p.get(0).get("end_ns").asLong()).isEqualTo(2700 * Fixtures.MS);
  }

  @Test
  void correlationIsNullWhereNothingWasSampled() {
    JsonNode c = metrics(Fixtures.standardRun()).get("correlation");
    for (String window : List.of("prefill", "decode", "whole_run")) {
      assertThat(c.get(window).get("cpu_percent").isNull()).isTrue();
      assertThat(c.get(window).get("gpu_sm_percent").isNull()).isTrue();
      assertThat(c.get(window).get("power_watts").isNull()).isTrue();
      assertThat(c.get(window).get("samples").asInt()).isZero();
    }
  }

  @Test
  void correlationOfTheWholeRunIsTheMeasuredWindow() {
    JsonNode w = metrics(withHardware()).get("correlation").get("whole_run");
    // 100..2700 ms: 400 ms at 100 %, 1000 ms at 100 %, 500 at 140, 500 at 160, 200 at 150
    assertThat(w.get("cpu_percent").asDouble()).isCloseTo(320_000 / 2600.0, within(1e-9));
    // GPU 0 at 81..85 %, GPU 1 at 71..75 % over the samples of 0.5 to 2.5 s
    assertThat(w.get("gpu_sm_percent").asDouble()).isCloseTo(78, within(1e-9));
    assertThat(w.get("gpu_sm_percent_by_device").get("0").asDouble()).isCloseTo(83, within(1e-9));
    // 400 W on GPU 0, 320 W mean on GPU 1
    assertThat(w.get("power_watts").asDouble()).isCloseTo(720, within(1e-9));
    JsonNode prefill = metrics(withHardware()).get("correlation").get("prefill");
    assertThat(prefill.get("cpu_percent").isNumber()).isTrue();
  }

  @Test
  void theMetricsDoNotChangeTheRoundTrip() {
    RunResult run = withHardware();
    assertThat(JsonReport.fromJson(JsonReport.toJson(RunAnalysis.of(run)))).isEqualTo(run);
  }

  @Test
  void textShowsFindingsAfterLoadAndBeforeLatency() {
    String r = TextReport.render(RunAnalysis.of(Fixtures.standardRun()));
    int load = r.indexOf("\nLoad\n");
    int findings = r.indexOf("\nFindings\n");
    int latency = r.indexOf("\nLatency over");
    assertThat(load).isPositive().isLessThan(findings);
    assertThat(findings).isLessThan(latency);
    String section = r.substring(findings, latency);
    assertThat(section)
        .contains("  WARNING  4 of 8 requests failed or were cancelled")
        .contains("  WARNING  the server shed 1 request (HTTP 503): capacity reached")
        .contains("  info     usage differs from text chunks on 1 of 4 requests");
    assertThat(section.indexOf("info")).isGreaterThan(section.lastIndexOf("WARNING"));
    assertThat(r).doesNotContain("Correlation");
  }

  @Test
  void aCleanRunSaysNone() {
    List<RequestTrace> traces = new ArrayList<>(Fixtures.standardTraces().subList(0, 4));
    String r = TextReport.render(RunAnalysis.of(Fixtures.run(traces, HardwareSamples.none())));
    assertThat(r).contains("\nFindings\n  none\n");
  }

  @Test
  void textShowsCorrelationWhenSampled() {
    String r = TextReport.render(RunAnalysis.of(withHardware()));
    assertThat(r).contains("\nCorrelation (mean over request windows; CPU in % of one core)\n");
    String whole = r.lines().filter(l -> l.startsWith("  whole run ")).findFirst().orElseThrow();
    assertThat(whole.trim().split(" +"))
        .containsExactly("whole", "run", "123.1", "78.00", "720.0", "-");
    assertThat(r)
        .contains(
            "\n  GPU columns: windows at least as long as the readings average over (SM % 166.7"
                + " ms, power 1.000 s)\n");
    assertThat(r.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }
}
