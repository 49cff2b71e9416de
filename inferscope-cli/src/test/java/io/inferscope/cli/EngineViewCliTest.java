package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.EngineKind;
import io.inferscope.core.EngineView;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunResult;
import io.inferscope.report.JsonReport;
import io.inferscope.sim.SimConfig;
import io.inferscope.sim.SimEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own /metrics read beside the load, against the simulator's vLLM names. */
class EngineViewCliTest {

  @TempDir Path dir;

  /** Two slots, vLLM's names: a closed loop of six keeps four waiting. */
  private static SimConfig vllmTwoSlots() {
    return SimConfig.defaults()
        .withTiming(Duration.ofMillis(10), Duration.ofMillis(5), Duration.ZERO)
        .withOutputTokens(24)
        .withCapacity(2, null, Duration.ZERO, Duration.ZERO)
        .withMetricsNames(SimConfig.MetricsNames.VLLM);
  }

  private CliTest.Result run(SimEngine engine, Path json, String... extra) {
    String[] base = {
      "run",
      "--url",
      engine.baseUrl(),
      "-c",
      "6",
      "-n",
      "36",
      "--max-tokens",
      "24",
      "--engine-metrics-period",
      "50ms",
      "--json",
      json.toString(),
      "--progress",
      "off",
      "--no-process"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliTest.run(args);
  }

  @Test
  void theEnginesQueueAndCountersAreReadOnTheRunClock() throws Exception {
    Path json = dir.resolve("engine.json");
    try (SimEngine engine = SimEngine.start(vllmTwoSlots())) {
      CliTest.Result r = run(engine, json);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("Engine view (vllm names");
    }
    RunResult run = JsonReport.read(json);
    assertThat(run.engineMetrics().engine()).isEqualTo(EngineKind.VLLM);
    EngineView e = RunAnalysis.of(run).engine();
    // Two run at most; four of the six in flight wait for a slot.
    assertThat(e.runningMax()).isEqualTo(2.0);
    assertThat(e.waitingMax()).isGreaterThanOrEqualTo(1.0);
    // The first read is before any request and the last after the last: the engine's counter
    // over the run is what the client received, token for token.
    assertThat(e.generationTokens()).isEqualTo(e.clientOutputTokens()).isEqualTo(36L * 24);
    assertThat(e.otherTraffic()).isFalse();
    // Per request: what the engine reported at its send; some were sent while others waited.
    assertThat(e.requests()).hasSize(36);
    assertThat(e.requests())
        .anyMatch(s -> s.waitingAtSend() != null && s.waitingAtSend() >= 1)
        .allMatch(s -> s.kvUsageAtSend() == null || s.kvUsageAtSend() <= 1.0);
    // Reads are in time order, each stamped between its send and its receive.
    long prev = Long.MIN_VALUE;
    for (var s : run.engineMetrics().scrapes().samples()) {
      assertThat(s.atNanos()).isBetween(s.sentNanos(), s.receivedNanos()).isGreaterThan(prev);
      prev = s.atNanos();
    }
    // The first read came before the first request was sent, the last after the last ended.
    assertThat(run.engineMetrics().scrapes().samples().getFirst().receivedNanos())
        .isLessThan(run.traces().getFirst().sendNanos());
    assertThat(run.engineMetrics().scrapes().samples().getLast().sentNanos())
        .isGreaterThan(run.traces().stream().mapToLong(t -> t.endNanos()).max().orElseThrow());
  }

  @Test
  void trafficFromElsewhereIsSeenInTheEnginesCounters() throws Exception {
    Path json = dir.resolve("foreign.json");
    try (SimEngine engine = SimEngine.start(vllmTwoSlots())) {
      AtomicBoolean running = new AtomicBoolean(true);
      HttpClient other = HttpClient.newHttpClient();
      Thread neighbour =
          Thread.ofVirtual()
              .start(
                  () -> {
                    String body =
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":24}";
                    while (running.get()) {
                      try {
                        other.send(
                            HttpRequest.newBuilder(
                                    URI.create(engine.baseUrl() + "/v1/chat/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .header("Content-Type", "application/json")
                                .build(),
                            HttpResponse.BodyHandlers.discarding());
                      } catch (Exception e) {
                        return;
                      }
                    }
                  });
      CliTest.Result r;
      try {
        r = run(engine, json);
      } finally {
        running.set(false);
        neighbour.join();
      }
      assertThat(r.code()).as(r.err()).isZero();
      // The finding's words wrap with the terminal; its code is checked below.
      assertThat(r.out()).contains("WARNING  the engine generated");
    }
    RunAnalysis a = RunAnalysis.of(JsonReport.read(json));
    assertThat(a.findings()).anyMatch(f -> f.code().equals("engine_other_traffic"));
    EngineView e = a.engine();
    assertThat(e.otherTraffic()).isTrue();
    assertThat(e.generationTokens()).isGreaterThan(e.clientOutputTokens());
  }

  @Test
  void noMetricsIsOneLineAndTheRunGoesOn() throws Exception {
    Path json = dir.resolve("none.json");
    try (SimEngine engine = SimEngine.start(vllmTwoSlots())) {
      CliTest.Result r = run(engine, json, "--engine-metrics-url", engine.baseUrl() + "/nothing");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err())
          .contains("inferscope: engine metrics: not available (HTTP 404 at /nothing)");
      assertThat(r.out()).contains("Engine view: not available (HTTP 404 at /nothing)");
    }
    RunResult run = JsonReport.read(json);
    assertThat(RunAnalysis.of(run).metrics().ok()).isEqualTo(36);
    assertThat(run.engineMetrics().scrapes().available()).isFalse();
  }

  @Test
  void sampleOnlyReadsTheEngineToo() throws Exception {
    Path json = dir.resolve("attach.json");
    try (SimEngine engine = SimEngine.start(vllmTwoSlots())) {
      CliTest.Result r =
          CliTest.run(
              "run",
              "--sample-only",
              "--url",
              engine.baseUrl(),
              "--pid",
              Long.toString(ProcessHandle.current().pid()),
              "-d",
              "600ms",
              "--engine-metrics-period",
              "100ms",
              "--json",
              json.toString(),
              "--progress",
              "off");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("Engine view (vllm names");
    }
    RunResult run = JsonReport.read(json);
    assertThat(run.engineMetrics().scrapes().samples().size()).isGreaterThanOrEqualTo(2);
  }
}
