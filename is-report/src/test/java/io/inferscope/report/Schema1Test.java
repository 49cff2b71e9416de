package io.inferscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs saved as schema 1, by the writer before typed facts and GPU ticks, still read and render.
 */
class Schema1Test {

  private static Path resource(String name) throws Exception {
    return Paths.get(Schema1Test.class.getResource("/schema1/" + name).toURI());
  }

  /** A real llama.cpp run: its facts were strings in the settings. */
  @Test
  void aSavedLlamaCppRunReadsWithItsFactsTyped() throws Exception {
    RunResult run = JsonReport.read(resource("llama-cpp-run.json"));
    assertThat(run.traces()).hasSize(68);
    assertThat(run.facts())
        .isEqualTo(
            new RunFacts(
                2,
                RunFacts.ConnectionReuse.PER_REQUEST,
                new RunFacts.EngineProcess("listening on port 18080 (from --url)", null)));
    assertThat(run.meta().settings())
        .containsEntry("concurrency", "4")
        .doesNotContainKeys("host_cpus", "connection_reuse", "engine_process");
    RunAnalysis a = RunAnalysis.of(run);
    assertThat(a.metrics().ok()).isEqualTo(64);
    assertThat(TextReport.render(a)).contains("TTFT", "connections         per-request");
    assertThat(HtmlReport.render(a)).contains("<html");
    // Written again, it is schema 2 and reads back equal.
    assertThat(JsonReport.fromJson(JsonReport.toJson(a))).isEqualTo(run);
  }

  /**
   * The old writer's file of the hardware fixture: flattened GPU samples regroup into the very
   * ticks the fixture holds.
   */
  @Test
  void flattenedGpuSamplesReadBackAsTheTicksTheyWere() throws Exception {
    RunResult run = JsonReport.read(resource("sampled-gpu.json"));
    assertThat(run).isEqualTo(HardwareJsonTest.sampled());
    assertThat(run.hardware().gpu().samples()).hasSize(7);
    assertThat(run.hardware().gpu().samples()).allSatisfy(t -> assertThat(t.devices()).hasSize(2));
  }

  @Test
  void aBrokenSchema1FileIsRefusedInOneLineNamingTheSchema(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.json");
    Files.writeString(
        file,
        Files.readString(resource("sampled-gpu.json"))
            .replaceFirst("\"end_ns\": 3000000000", "\"end_ns\": \"later\""));
    assertThatThrownBy(() -> JsonReport.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + " (schema 1): run.end_ns: expected an integer, found a string");
  }
}
