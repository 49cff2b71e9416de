package io.inferscope.report;

import static io.inferscope.report.SweepFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SweepJsonTest {

  @TempDir Path dir;

  private static JsonNode doc(SweepAnalysis s) {
    return ReportJson.MAPPER.readTree(SweepJson.toJson(s));
  }

  @Test
  void theDocumentHoldsTheSweepItsLevelsAndTheKnee() {
    SweepAnalysis s = SweepFixtures.standard();
    JsonNode d = doc(s);

    assertThat(d.propertyNames().iterator().next()).isEqualTo("schema_version");
    assertThat(d.get("schema_version").asInt()).isEqualTo(SweepDocument.SCHEMA_VERSION);
    assertThat(d.get("tool").get("name").asString()).isEqualTo("inferscope");
    assertThat(d.get("tool").get("version").asString()).isEqualTo("0.1.0");
    assertThat(d.get("axis").asString()).isEqualTo("concurrency");
    assertThat(d.get("url").asString()).isEqualTo("http://localhost:8000");
    assertThat(d.get("model").asString()).isEqualTo("llama-3.1-8b-instruct");
    assertThat(d.get("started_at").asString()).isEqualTo("2025-06-01T12:00:00.123456789Z");
    assertThat(d.get("levels")).hasSize(5);

    JsonNode knee = d.get("knee");
    assertThat(knee.get("index").asInt()).isEqualTo(SweepFixtures.KNEE_INDEX);
    assertThat(knee.get("value").asDouble()).isEqualTo(4.0);
    assertThat(knee.get("cause").asString()).isEqualTo("ttft_p50");
    assertThat(d.get("knee_reason").asString()).isEqualTo(s.kneeReason()).startsWith("knee at");
    assertThat(d.get("knee_rule").get("throughput_rise_per_load_rise").asDouble()).isEqualTo(0.1);
    assertThat(d.get("stopped_early").asString())
        .isEqualTo(s.stoppedEarly())
        .startsWith("completeness 79.4 % at concurrency 16 fell below the 90 % minimum");
  }

  @Test
  void eachLevelIsItsFiguresWithUnitsInTheNames() {
    SweepAnalysis s = SweepFixtures.standard();
    JsonNode levels = doc(s).get("levels");
    for (int i = 0; i < s.levels().size(); i++) {
      SweepLevel l = s.levels().get(i);
      JsonNode n = levels.get(i);
      assertThat(n.get("value").asDouble()).isEqualTo(l.value());
      assertThat(n.get("requests").asInt()).isEqualTo(l.requests());
      assertThat(n.get("output_tokens_per_second").asDouble()).isEqualTo(l.outputTokensPerSecond());
      assertThat(n.get("requests_per_second").asDouble()).isEqualTo(l.requestsPerSecond());
      assertThat(n.get("ttft_p50_ns").asDouble()).isEqualTo(l.ttftP50Nanos());
      assertThat(n.get("ttft_p99_ns").asDouble()).isEqualTo(l.ttftP99Nanos());
      assertThat(n.get("itl_p50_ns").asDouble()).isEqualTo(l.itlP50Nanos());
      assertThat(n.get("e2e_p99_ns").asDouble()).isEqualTo(l.e2eP99Nanos());
      assertThat(n.get("completeness_percent").asDouble()).isEqualTo(l.completenessPercent());
      assertThat(n.get("window_ns").asLong()).isEqualTo(l.windowNanos());
    }
    JsonNode last = levels.get(4);
    assertThat(last.get("shed").asInt()).isEqualTo(49);
    assertThat(last.get("timeouts").asInt()).isEqualTo(1);
    assertThat(last.get("errors").asInt()).isEqualTo(1);
    assertThat(last.get("failures_by_code").get("shed_503").asInt()).isEqualTo(49);
    // Absent is written as null, never left out or written as 0.
    assertThat(last.has("goodput_ratio")).isTrue();
    assertThat(last.get("goodput_ratio").isNull()).isTrue();
    assertThat(doc(s).get("slo").isNull()).isTrue();
  }

  @Test
  void withAnSloEachLevelHasItsGoodput() {
    SweepAnalysis s = SweepFixtures.standard(new Slo(200 * MS, null, null), 0);
    JsonNode levels = doc(s).get("levels");
    assertThat(levels.get(0).get("goodput_ratio").asDouble()).isEqualTo(1.0);
    assertThat(levels.get(3).get("goodput_ratio").asDouble()).isEqualTo(0.0);
    assertThat(levels.get(0).get("goodput_per_second").asDouble())
        .isEqualTo(s.levels().get(0).goodputPerSecond());
    assertThat(doc(s).get("slo").get("ttft_ns").asLong()).isEqualTo(200 * MS);
  }

  @Test
  void withoutAKneeTheKneeIsNullAndTheReasonSaysWhy() {
    JsonNode d = doc(SweepFixtures.risingRates());
    assertThat(d.get("axis").asString()).isEqualTo("rate");
    assertThat(d.get("knee").isNull()).isTrue();
    assertThat(d.get("knee_reason").asString()).startsWith("no knee within the levels run");
    assertThat(d.get("levels").get(2).get("partial").asBoolean()).isTrue();
    assertThat(d.get("levels").get(0).get("value").asDouble()).isEqualTo(0.5);
  }

  @Test
  void writeIsTheDocumentWithAFinalNewline() throws Exception {
    SweepAnalysis s = SweepFixtures.standard();
    Path file = dir.resolve("out").resolve("sweep.json");
    SweepJson.write(s, file);
    assertThat(Files.readString(file)).isEqualTo(SweepJson.toJson(s) + "\n");
    // Nothing left beside it.
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
