package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CompareJsonTest {

  @Test
  void theDocumentHoldsTheRunsAndEachFigureWithItsIntervalAndVerdict(@TempDir Path dir)
      throws Exception {
    RunComparison c = CompareFixtures.standard();
    String json = CompareJson.toJson(c, "9.9.9");
    assertThat(json).startsWith("{\n  \"schema_version\": 1,");
    JsonNode doc = ReportJson.MAPPER.readTree(json);
    assertThat(doc.get("tool").get("name").asString()).isEqualTo("inferscope");
    // The comparing version, not the one that recorded the baseline.
    assertThat(doc.get("tool").get("version").asString()).isEqualTo("9.9.9");
    assertThat(doc.get("bootstrap").get("confidence").asDouble()).isEqualTo(0.95);
    assertThat(doc.get("bootstrap").get("resamples").asInt()).isEqualTo(2000);
    assertThat(doc.get("runs").get(0).get("label").asString()).isEqualTo("runs/a.json");
    assertThat(doc.get("runs").get(1).get("schema_version").asInt()).isEqualTo(3);
    JsonNode pair = doc.get("pairs").get(0);
    assertThat(pair.get("run").get("model").asString()).isEqualTo("other-model");
    assertThat(pair.get("differences").get(0).asString())
        .isEqualTo("model: llama-3.1-8b-instruct vs other-model");
    JsonNode ttft = pair.get("figures").get(0);
    RunComparison.Figure f = c.pairs().getFirst().figure("ttft.p50");
    assertThat(ttft.get("path").asString()).isEqualTo("ttft.p50");
    assertThat(ttft.get("unit").asString()).isEqualTo("nanos");
    assertThat(ttft.get("better").asString()).isEqualTo("lower");
    assertThat(ttft.get("baseline").asDouble()).isEqualTo(f.baseline());
    assertThat(ttft.get("delta_percent").asDouble()).isEqualTo(f.deltaPercent());
    assertThat(ttft.get("interval").get("low").asDouble()).isEqualTo(f.interval().low());
    assertThat(ttft.get("verdict").asString()).isEqualTo("regression");
    assertThat(ttft.get("note").isNull()).isTrue();
    JsonNode rate = pair.get("figures").get(RunComparison.FIGURES.indexOf("output_tokens_per_s"));
    assertThat(rate.get("verdict").asString()).isEqualTo("no_interval");
    assertThat(rate.get("interval").isNull()).isTrue();
    assertThat(pair.get("figures")).hasSize(RunComparison.FIGURES.size());
    Path file = dir.resolve("c.json");
    CompareJson.write(c, "9.9.9", file);
    assertThat(Files.readString(file)).isEqualTo(json + "\n");
  }
}
