package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Sweeps and workloads against the simulator's capacity model, whose answers are known: a knee at
 * its slot count, shedding as lost completeness, queueing as TTFT growth, exact token counts.
 */
class SweepCliTest {

  @TempDir Path dir;

  /** Four slots; each decode step 4 ms, slower by 0.25 ms per request decoding beside it. */
  private static SimConfig fourSlots(Integer maxQueue) {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(10), Duration.ofMillis(4), Duration.ZERO)
        .withOutputTokens(16)
        .withCapacity(4, maxQueue, Duration.ZERO, Duration.ofNanos(250_000));
  }

  @Test
  void aConcurrencySweepFindsTheKneeAtTheEnginesSlots() throws Exception {
    Path json = dir.resolve("sweep.json");
    Path html = dir.resolve("sweep.html");
    Path levels = Files.createDirectory(dir.resolve("levels"));
    try (SimEngine engine = SimEngine.start(fourSlots(null))) {
      CliTest.Result r =
          CliTest.run(
              "sweep",
              "--url",
              engine.baseUrl(),
              // From 4 to 16 the load rises ×4: a throughput held by the slots cannot rise the 30 %
              // the rule asks, whatever a short level's tail adds (with ×2 steps, 10 % is near
              // what the tail of a 48-request level can add on a busy host).
              "--concurrency",
              "1,2,4,16",
              "-n",
              "48",
              "--warmup",
              "4",
              "--max-tokens",
              "16",
              "--json",
              json.toString(),
              "--html",
              html.toString(),
              "--levels-dir",
              levels.toString(),
              "--progress",
              "off",
              "--no-process");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("knee at concurrency 4")
          .contains("requests wait for the engine beyond concurrency 4");
      assertThat(r.err()).contains("concurrency 1:", "concurrency 16:");
    }
    JsonNode sweep = new ObjectMapper().readTree(json.toFile());
    assertThat(sweep.get("levels")).hasSize(4);
    assertThat(sweep.get("knee").get("value").asDouble()).isEqualTo(4.0);
    assertThat(Files.readString(html)).contains("knee");
    try (var files = Files.list(levels)) {
      List<Path> runs = files.sorted().toList();
      assertThat(runs).hasSize(4);
      RunResult at16 = JsonReport.read(runs.getLast());
      assertThat(at16.meta().settings()).containsEntry("sweep_level", "concurrency 16");
      // Queued, not shed: every request completed, and waited for a slot.
      RunAnalysis a = RunAnalysis.of(at16);
      assertThat(a.metrics().ok()).isEqualTo(48);
      RunAnalysis at4 = RunAnalysis.of(JsonReport.read(runs.get(2)));
      assertThat(a.metrics().ttftNanos().p50()).isGreaterThan(2 * at4.metrics().ttftNanos().p50());
    }
  }

  /** A closed loop of 12 against four slots, with a queue of {@code maxQueue} (null: unbounded). */
  private RunAnalysis twelveInFlight(Integer maxQueue, String name) throws Exception {
    Path json = dir.resolve(name);
    try (SimEngine engine = SimEngine.start(fourSlots(maxQueue))) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "12",
              "-n",
              "60",
              "--max-tokens",
              "16",
              "--json",
              json.toString(),
              "--progress",
              "off",
              "--no-process");
      assertThat(r.code()).as(r.err()).isZero();
    }
    return RunAnalysis.of(JsonReport.read(json));
  }

  @Test
  void sheddingLosesCompletenessWhereQueueingLosesLatency() throws Exception {
    RunAnalysis shed = twelveInFlight(2, "shed.json");
    RunAnalysis queued = twelveInFlight(null, "queued.json");
    // A queue of 2 behind 4 slots: of 12 in flight, the rest are shed at once with HTTP 503.
    assertThat(shed.metrics().completenessPercent()).isLessThan(100.0);
    assertThat(shed.metrics().failuresByCode()).containsOnlyKeys("shed_503");
    // An unbounded queue completes everything, and its requests wait longer for a first token.
    assertThat(queued.metrics().completenessPercent()).isEqualTo(100.0);
    assertThat(queued.metrics().ttftNanos().p50()).isGreaterThan(shed.metrics().ttftNanos().p50());
  }

  @Test
  void syntheticPromptsHaveExactlyTheAskedTokensAsTheEngineCountsThem() throws Exception {
    Path json = dir.resolve("synthetic.json");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "4",
              "-n",
              "20",
              "--input-tokens",
              "64,8",
              "--output-tokens",
              "5",
              "--shared-prefix-tokens",
              "16",
              "--json",
              json.toString(),
              "--progress",
              "off",
              "--no-process");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err()).doesNotContain("no /tokenize");
      assertThat(r.out()).contains("engine tokenizer", "shared prefix 16 tok");
    }
    RunResult run = JsonReport.read(json);
    java.util.Random lengths = new java.util.Random(1);
    for (RequestTrace t : run.traces()) {
      int target = (int) Math.max(1, Math.round(64 + lengths.nextGaussian() * 8));
      lengths.nextGaussian();
      // The simulator counts a word a token: the engine's prompt_tokens is the target exactly.
      assertThat(t.usage().promptTokens()).isEqualTo(Math.max(target, 17));
      // ignore_eos with max_tokens 5: exactly five tokens each.
      assertThat(t.usage().completionTokens()).isEqualTo(5);
    }
    assertThat(run.facts().workload().tokenCounting())
        .isEqualTo(io.inferscope.core.RunFacts.TokenCounting.ENGINE_TOKENIZER);
  }

  @Test
  void aReplayedTraceSendsEveryRequestAtItsTimeWithItsLengths() throws Exception {
    Path trace = dir.resolve("trace.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      int in = 100 + 37 * i;
      int blocks = (in + 511) / 512;
      StringBuilder ids = new StringBuilder();
      for (int b = 0; b < blocks; b++) {
        // Block 0 shared by all: the prefix every request starts with.
        ids.append(b == 0 ? "" : ", ").append(b == 0 ? 0 : 1000 * i + b);
      }
      lines.append(
          String.format(
              "{\"timestamp\": %d, \"input_length\": %d, \"output_length\": %d, \"hash_ids\": [%s]}%n",
              25 * i, in, 3 + i % 4, ids));
    }
    Files.writeString(trace, lines);
    Path json = dir.resolve("trace.json");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "--trace",
              "mooncake",
              trace.toString(),
              "--json",
              json.toString(),
              "--progress",
              "off",
              "--no-process");
      assertThat(r.code()).as(r.err()).isZero();
    }
    RunResult run = JsonReport.read(json);
    List<RequestTrace> t = run.traces();
    assertThat(t).hasSize(40);
    long start = t.getFirst().intendedNanos();
    for (int i = 0; i < t.size(); i++) {
      assertThat(t.get(i).intendedNanos() - start).isEqualTo(i * 25_000_000L);
      // A word a token in the simulator: each prompt is its input_length exactly.
      assertThat(t.get(i).usage().promptTokens()).isEqualTo(100 + 37 * i);
      assertThat(t.get(i).usage().completionTokens()).isEqualTo(3 + i % 4);
    }
  }
}
