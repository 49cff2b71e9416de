package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.inferscope.sim.SimEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Steps and cost end to end: a run against the simulated engine, priced afterwards. */
class CostCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Eight requests, two warm-up ones first (ids 0 and 1), run with a steps file. */
  private static Path savedRun(Path dir, Path steps) throws Exception {
    Path json = dir.resolve("run.json");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "2",
              "-n",
              "6",
              "--warmup",
              "2",
              "--max-tokens",
              "8",
              "--no-gpu",
              "--steps-file",
              steps.toString(),
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("Steps (3").contains("plan").contains("act");
    }
    return json;
  }

  private static Path steps(Path dir) throws Exception {
    Path f = dir.resolve("steps.jsonl");
    Files.writeString(
        f,
        """
        # an agent's three turns
        {"label": "plan", "requests": [2, 3]}
        {"label": "act", "first_request": 4, "last_request": 7}
        {"label": "everything", "start_s": 0, "end_s": 100000}
        """);
    return f;
  }

  @Test
  void aPricePerHourCostsTheWindowAndSplitsItOverRequestsAndSteps(@TempDir Path dir)
      throws Exception {
    Path run = savedRun(dir, steps(dir));
    Path priced = dir.resolve("priced.json");
    Path html = dir.resolve("priced.html");
    CliTest.Result r =
        CliTest.run(
            "cost",
            run.toString(),
            "--usd-per-hour",
            "36000",
            "--json",
            priced.toString(),
            "--html",
            html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Cost ($36,000.00 per hour").contains("per 1M output tok");
    assertThat(r.out()).contains("Steps (3");
    JsonNode doc = JSON.readTree(priced.toFile());
    assertThat(doc.get("run").get("price").get("usd_per_hour").asDouble()).isEqualTo(36000);
    JsonNode a = doc.get("metrics").get("attribution");
    double windowSeconds =
        (a.get("window_end_ns").asLong() - a.get("window_start_ns").asLong()) / 1e9;
    // $10 a second over the measured window.
    double total = a.get("cost").get("total_usd").asDouble();
    assertThat(total).isCloseTo(10 * windowSeconds, within(1e-9));
    double sum = a.get("cost").get("idle_usd").asDouble();
    for (JsonNode req : a.get("requests")) {
      sum += req.get("usd").asDouble();
    }
    assertThat(sum)
        .as("requests and idle time share the whole window")
        .isCloseTo(total, within(1e-6));
    assertThat(a.get("requests")).hasSize(6);
    JsonNode steps = a.get("steps");
    assertThat(steps.get(0).get("requests").asInt()).isEqualTo(2);
    assertThat(steps.get(1).get("requests").asInt()).isEqualTo(4);
    assertThat(steps.get(2).get("requests").asInt()).isEqualTo(6);
    assertThat(steps.get(2).get("usd").asDouble())
        .isCloseTo(total - a.get("cost").get("idle_usd").asDouble(), within(1e-6));
    assertThat(steps.get(0).get("unknown_request_ids")).isEmpty();
    // Without GPU samples there is no energy to split, and it says so rather than 0.
    assertThat(a.get("energy_joules").isNull()).isTrue();
    String page = Files.readString(html);
    assertThat(page)
        .contains("id=\"attribution\"")
        .contains("id=\"steps\"")
        .contains("id=\"cost\"");
    // The priced file is a run like any other: it renders again with its price and steps.
    CliTest.Result again = CliTest.run("report", priced.toString());
    assertThat(again.out()).contains("Cost ($36,000.00 per hour").contains("everything");
  }

  @Test
  void stepsGivenLaterReplaceTheRunsAndNameRequestsThatAreNotMeasured(@TempDir Path dir)
      throws Exception {
    Path run = savedRun(dir, steps(dir));
    Path other = dir.resolve("other.jsonl");
    Files.writeString(other, "{\"label\":\"warm-up and a stranger\",\"requests\":[0,42]}\n");
    CliTest.Result r = CliTest.run("report", run.toString(), "--steps-file", other.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Steps (1")
        .contains("not in the run's measured requests: [0, 42]");
    assertThat(r.out()).doesNotContain("plan");
  }

  @Test
  void aPricePerKwhNeedsGpuEnergyAndBadInputIsOneLine(@TempDir Path dir) throws Exception {
    Path run = savedRun(dir, steps(dir));
    CliTest.Result kwh = CliTest.run("cost", run.toString(), "--usd-per-kwh", "0.3");
    assertThat(kwh.code()).as(kwh.out() + kwh.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(kwh.err()).contains("no GPU energy").contains("per hour");
    assertThat(kwh.err().strip().lines().count()).isEqualTo(1);

    CliTest.Result none = CliTest.run("cost", run.toString());
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    CliTest.Result both =
        CliTest.run("cost", run.toString(), "--usd-per-hour", "1", "--usd-per-kwh", "1");
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    CliTest.Result negative = CliTest.run("cost", run.toString(), "--usd-per-hour", "-1");
    assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(negative.err()).contains("--usd-per-hour");
  }

  @Test
  void aBadStepsFileStopsARunBeforeAnyLoad(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"label\":\"ok\",\"requests\":[1]}\n{\"label\":\"x\",\"end_s\":3}\n");
    // Nothing listens on port 1: had the run got as far as the engine, it would say so instead.
    CliTest.Result r =
        CliTest.run(
            "run", "--url", "http://127.0.0.1:1", "-n", "1", "--steps-file", bad.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("bad.jsonl line 2").contains("start_s");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
    Files.writeString(bad, "{\"label\":\"x\",\"requests\":[1],\"colour\":\"red\"}\n");
    CliTest.Result unknown =
        CliTest.run(
            "run", "--url", "http://127.0.0.1:1", "-n", "1", "--steps-file", bad.toString());
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("line 1").contains("colour");
  }
}
