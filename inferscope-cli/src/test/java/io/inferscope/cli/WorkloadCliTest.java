package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.Goodput;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunFacts;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets, traces, synthetic prompts and SLOs from the command line, against the simulator. */
class WorkloadCliTest {

  @TempDir Path dir;

  private Path file(String name, List<String> lines) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  @Test
  void badWorkloadOptionsAreOneLineUsageErrors() throws Exception {
    Path jsonl = file("ok.jsonl", List.of("{\"prompt\":\"hi\"}"));
    String url = "http://127.0.0.1:1";
    for (String[] args :
        new String[][] {
          {"run", "--url", url, "--dataset", "csv", jsonl.toString()},
          {"run", "--url", url, "--dataset", "jsonl", dir.resolve("none.jsonl").toString()},
          {"run", "--url", url, "--dataset", "jsonl", jsonl.toString(), "--prompt", "x"},
          {"run", "--url", url, "--input-tokens", "abc"},
          {"run", "--url", url, "--input-tokens", "0"},
          {"run", "--url", url, "--output-tokens", "64"},
          {"run", "--url", url, "--input-tokens", "100", "--shared-prefix-tokens", "100"},
          {"run", "--url", url, "--trace", "mooncake", jsonl.toString(), "--time-scale", "0"},
          {"run", "--url", url, "--trace-limit", "5"},
          {"run", "--url", url, "--dataset-sample", "5"},
          {"run", "--url", url, "--slo", "ttft=fast"},
          {"run", "--url", url, "--slo", "latency=1s"},
          {"run", "--url", url, "--slo", "ttft"},
          {"run", "--url", url, "--rate", "5", "--burstiness", "0.5"},
          {"run", "--url", url, "--rate", "5", "--arrival", "gamma", "--burstiness", "-1"},
        }) {
      CliTest.Result r = CliTest.run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("inferscope: ");
      assertThat(r.err().strip().lines().count()).as(String.join(" ", args)).isEqualTo(1);
    }
  }

  @Test
  void aMalformedLineIsFoundBeforeAnyLoadIsSent() throws Exception {
    Path bad =
        file(
            "bad.jsonl",
            List.of("{\"prompt\":\"fine\"}", "{\"prompt\":\"fine\"}", "{\"prompt\":17}"));
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run("run", "--url", engine.baseUrl(), "--dataset", "jsonl", bad.toString());
      assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err().strip())
          .isEqualTo(
              "inferscope: "
                  + bad
                  + ":3: \"prompt\" must be a non-empty string (or pass --skip-bad-lines to skip"
                  + " such lines)");
      // The model list was asked; no completion was.
      assertThat(engine.firstCompletionRequestAt()).isEmpty();
      Path json = dir.resolve("skip.json");
      CliTest.Result skipped =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "--dataset",
              "jsonl",
              bad.toString(),
              "--skip-bad-lines",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(skipped.code()).as(skipped.err()).isZero();
      RunResult run = JsonReport.read(json);
      // Every request of the dataset, once: two.
      assertThat(run.traces()).hasSize(2);
      assertThat(run.facts().workload().skippedLines()).isEqualTo(1);
      assertThat(skipped.out()).contains("workload", "jsonl", "(1 skipped)");
    }
  }

  @Test
  void aTimedDatasetIsSentOnItsScheduleWithTheRequestsOwnBodies() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // 20 ms apart in the file; --time-scale 0.5 sends them 10 ms apart.
      lines.add(
          "{\"prompt\":\"request "
              + i
              + "\",\"max_tokens\":"
              + (2 + i % 3)
              + ",\"timestamp\":"
              + (5000 + 20 * i)
              + "}");
    }
    Path data = file("timed.jsonl", lines);
    Path json = dir.resolve("timed.json");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "--dataset",
              "jsonl",
              data.toString(),
              "--time-scale",
              "0.5",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
    }
    RunResult run = JsonReport.read(json);
    List<RequestTrace> t = run.traces();
    assertThat(t).hasSize(30);
    long start = t.getFirst().intendedNanos();
    for (int i = 0; i < t.size(); i++) {
      // Each request's intended send is exactly its scaled time from the first; no slot held it.
      assertThat(t.get(i).intendedNanos() - start).isEqualTo(i * 10_000_000L);
      assertThat(t.get(i).sendNanos()).isGreaterThanOrEqualTo(t.get(i).intendedNanos());
      // Each request asked its own max_tokens, and the engine gave that many.
      assertThat(t.get(i).usage().completionTokens()).isEqualTo(2 + i % 3);
    }
    assertThat(run.meta().settings())
        .containsEntry("arrival", "fixed schedule")
        .containsEntry("concurrency", "unbounded");
    RunFacts.Workload w = run.facts().workload();
    assertThat(w.source()).isEqualTo(RunFacts.WorkloadSource.JSONL);
    assertThat(w.items()).isEqualTo(30);
  }

  @Test
  void theSloGivesGoodputInTheReportAndTheJson() throws Exception {
    Path json = dir.resolve("slo.json");
    try (SimEngine engine = SimEngine.start(CliTest.fastSim())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--url",
              engine.baseUrl(),
              "-c",
              "2",
              "-n",
              "10",
              "--max-tokens",
              "4",
              // The simulator's TTFT is 20 ms: no request can meet 1 ms, every one meets 60 s.
              "--slo",
              "ttft=1ms,e2e=60s",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("goodput", "0 of 10", "ttft ≤ 1.000 ms");
      assertThat(r.err()).contains("· goodput 0.0 %");
    }
    RunResult run = JsonReport.read(json);
    assertThat(run.meta().slo().ttftNanos()).isEqualTo(1_000_000L);
    Goodput g = RunAnalysis.of(run).goodput();
    assertThat(g.met()).isZero();
    assertThat(g.mostMissed()).isEqualTo(Goodput.Objective.TTFT);
    String text = Files.readString(json);
    assertThat(text).contains("\"goodput\"", "\"met_ratio\"");
  }
}
