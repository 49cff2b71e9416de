package io.inferscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

  private static final long MS = 1_000_000L;

  private static RequestTrace ok(
      int id, boolean warmup, long send, long ttft, int tokens, long gap) {
    EventLog.Builder b = new EventLog.Builder().add(send + MS, ChunkKind.ROLE, 0);
    long at = send + ttft;
    for (int i = 0; i < tokens; i++) {
      b.add(at + i * gap, ChunkKind.CONTENT, 2);
    }
    long last = at + (tokens - 1) * gap;
    b.add(last + 1, ChunkKind.DONE, 0);
    return new RequestTrace(
        id, warmup, send, send, send + MS, last + 1, 200, b.build(), null, null, "stop", null);
  }

  private static RequestTrace failed(int id, long send, Failure f) {
    return new RequestTrace(
        id, false, send, send, null, send + MS, null, EventLog.empty(), null, null, null, f);
  }

  @Test
  void poolsCompletedRequestsAndCountsFailuresBeside() {
    List<RequestTrace> traces =
        List.of(
            ok(0, true, 0, 500 * MS, 3, 10 * MS), // warm-up: excluded everywhere
            ok(1, false, 1000 * MS, 100 * MS, 3, 10 * MS),
            ok(2, false, 1000 * MS, 200 * MS, 3, 20 * MS),
            ok(3, false, 1100 * MS, 300 * MS, 3, 30 * MS),
            failed(4, 1200 * MS, new Failure.Http(500, "boom")),
            failed(5, 1200 * MS, new Failure.Shed(503, "busy")),
            failed(6, 1300 * MS, new Failure.Http(500, "again")),
            failed(7, 1300 * MS, new Failure.Cancelled("interrupted")));
    RunMetrics m = RunMetrics.of(traces);
    assertThat(m.requests()).isEqualTo(7);
    assertThat(m.ok()).isEqualTo(3);
    assertThat(m.cancelled()).isEqualTo(1);
    assertThat(m.failed()).isEqualTo(3);
    assertThat(m.failuresByCode())
        .containsExactly(
            java.util.Map.entry("cancelled", 1),
            java.util.Map.entry("http_500", 2),
            java.util.Map.entry("shed_503", 1));
    assertThat(m.failureExamples().get("http_500")).isEqualTo("HTTP 500: boom");
    assertThat(m.completenessPercent()).isCloseTo(300.0 / 7, within(1e-9));
    assertThat(m.ttftNanos().count()).isEqualTo(3);
    assertThat(m.ttftNanos().p50()).isEqualTo(200.0 * MS);
    assertThat(m.ttftNanos().max()).isEqualTo(300.0 * MS);
    // chunk gaps pooled: 10,10,20,20,30,30 ms
    assertThat(m.chunkItlNanos().count()).isEqualTo(6);
    assertThat(m.chunkItlNanos().mean()).isCloseTo(20.0 * MS, within(1e-3));
    assertThat(m.outputTokensTotal()).isEqualTo(9);
    assertThat(m.requestsWithUsage()).isZero();
    assertThat(m.usageTokensTotal()).isNull();
    // window: first measured send 1000 ms to last end (request 3: 1100+300+60+1 ns)
    long end3 = 1100 * MS + 300 * MS + 60 * MS + 1;
    long end7 = 1301 * MS;
    assertThat(m.windowNanos()).isEqualTo(Math.max(end3, end7) - 1000 * MS);
    assertThat(m.outputTokensPerSecond()).isCloseTo(9 * 1e9 / m.windowNanos(), within(1e-9));
  }

  @Test
  void flagsUsageThatDisagreesWithChunks() {
    RequestTrace a = ok(0, false, 0, 10 * MS, 4, MS);
    RequestTrace withUsage =
        new RequestTrace(
            a.id(),
            false,
            a.intendedNanos(),
            a.sendNanos(),
            a.headersNanos(),
            a.endNanos(),
            200,
            a.events(),
            new Usage(3, 8, 11, null, null),
            null,
            "stop",
            null);
    RequestTrace agreeing =
        new RequestTrace(
            1,
            false,
            a.intendedNanos(),
            a.sendNanos(),
            a.headersNanos(),
            a.endNanos(),
            200,
            a.events(),
            new Usage(3, 4, 7, null, null),
            null,
            "stop",
            null);
    RunMetrics m = RunMetrics.of(List.of(withUsage, agreeing));
    assertThat(m.requestsWithUsage()).isEqualTo(2);
    assertThat(m.usageTokensTotal()).isEqualTo(12);
    assertThat(m.chunksOfUsageRequests()).isEqualTo(8);
    assertThat(m.usageChunkMismatches()).isEqualTo(1);
  }

  @Test
  void allFailedLeavesLatencyAbsent() {
    RunMetrics m = RunMetrics.of(List.of(failed(0, 0, new Failure.Connect("connection refused"))));
    assertThat(m.ok()).isZero();
    assertThat(m.completenessPercent()).isZero();
    assertThat(m.ttftNanos()).isNull();
    assertThat(m.e2eNanos()).isNull();
    assertThat(m.outputTokensPerSecond()).isZero();
  }

  @Test
  void emptyRunHasNoFigures() {
    RunMetrics m = RunMetrics.of(List.of());
    assertThat(m.requests()).isZero();
    assertThat(m.completenessPercent()).isNull();
    assertThat(m.windowNanos()).isNull();
    assertThat(m.outputTokensPerSecond()).isNull();
  }

  @Test
  void intendedSendTimeShowsClientLateness() {
    RequestTrace late =
        new RequestTrace(
            0,
            false,
            0,
            40 * MS,
            null,
            100 * MS,
            200,
            new EventLog.Builder().add(60 * MS, ChunkKind.CONTENT, 1).build(),
            null,
            null,
            "stop",
            null);
    RunMetrics m = RunMetrics.of(List.of(late));
    assertThat(m.ttftNanos().p50()).isEqualTo(20.0 * MS);
    assertThat(m.ttftFromIntendedNanos().p50()).isEqualTo(60.0 * MS);
    assertThat(m.sendLagNanos().max()).isEqualTo(40.0 * MS);
  }

  @Test
  void serverTimingsArePooled() {
    RequestTrace a = ok(0, false, 0, 10 * MS, 4, MS);
    RequestTrace t =
        new RequestTrace(
            a.id(),
            false,
            0,
            0,
            a.headersNanos(),
            a.endNanos(),
            200,
            a.events(),
            null,
            new ServerTimings(10, 5.0, 32, 40.0, 0),
            "stop",
            null);
    RunMetrics m = RunMetrics.of(List.of(t));
    // (32 - 1) tokens over 40 ms, as llama.cpp computes its own predicted_per_second
    assertThat(m.serverDecodeTokensPerSecond().p50()).isCloseTo(775.0, within(1e-9));
    assertThat(m.serverPromptMillis().p50()).isEqualTo(5.0);
  }

  @Test
  void observationDelayPoolsStampedEventsOfMeasuredRequestsOkOrNot() {
    RequestTrace warm =
        new RequestTrace(
            0,
            true,
            0,
            0,
            MS,
            10 * MS,
            200,
            new EventLog.Builder().addSent(5 * MS, ChunkKind.CONTENT, 1, 0).build(),
            null,
            null,
            "stop",
            null);
    RequestTrace okOne =
        new RequestTrace(
            1,
            false,
            0,
            0,
            MS,
            10 * MS,
            200,
            new EventLog.Builder()
                .add(2 * MS, ChunkKind.ROLE, 0)
                .addSent(5 * MS, ChunkKind.CONTENT, 1, 5 * MS - 100)
                .addSent(6 * MS, ChunkKind.CONTENT, 1, 6 * MS - 300)
                .build(),
            null,
            null,
            "stop",
            null);
    RequestTrace failedOne =
        new RequestTrace(
            2,
            false,
            0,
            0,
            MS,
            10 * MS,
            200,
            new EventLog.Builder().addSent(5 * MS, ChunkKind.CONTENT, 1, 5 * MS - 200).build(),
            null,
            null,
            null,
            new Failure.Truncated("cut"));
    RunMetrics m = RunMetrics.of(List.of(warm, okOne, failedOne));
    assertThat(m.observationDelayNanos().count()).isEqualTo(3);
    assertThat(m.observationDelayNanos().min()).isEqualTo(100.0);
    assertThat(m.observationDelayNanos().max()).isEqualTo(300.0);
    assertThat(RunMetrics.of(List.of(ok(1, false, 0, MS, 3, MS))).observationDelayNanos()).isNull();
  }
}
