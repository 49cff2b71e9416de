package io.inferscope.report;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunAnalysis;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.Slo;
import io.inferscope.core.SweepAnalysis;
import io.inferscope.core.SweepAxis;
import io.inferscope.core.TimeoutPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * Sweeps with figures easy to set: every completed request of a level streams {@value #CHUNKS} text
 * chunks 10 ms apart after its TTFT and ends 1 ms after its last; the requests are spread evenly so
 * each level's measured window is exactly 10 s, and its output throughput is {@code ok * CHUNKS /
 * 10 s}.
 *
 * <p>The standard sweep: concurrency 1, 2, 4, 8, 16 at 100, 196, 380, 390 and 392 tok/s with TTFT
 * 50, 52, 60, 250 and 800 ms; the last level also had 49 requests shed (HTTP 503), 1 timed out and
 * 1 failed with HTTP 500 (196 ok of 247: 79.4 %). The knee is at concurrency 4 (index 2): from 4 to
 * 8 throughput rose 2.63 % while TTFT p50 rose 317 %. The sweep stopped after 16 (completeness
 * under a 90 % minimum).
 */
final class SweepFixtures {

  static final long MS = Fixtures.MS;
  static final int CHUNKS = 20;
  static final long WINDOW_MS = 10_000;
  static final int KNEE_INDEX = 2;

  private SweepFixtures() {}

  static SweepAnalysis standard() {
    return standard(null, 0);
  }

  /** The standard sweep under {@code slo}, every request sent {@code lagMs} late. */
  static SweepAnalysis standard(Slo slo, long lagMs) {
    List<Failure> last = new ArrayList<>();
    for (int i = 0; i < 49; i++) {
      last.add(new Failure.Shed(503, "overloaded"));
    }
    last.add(new Failure.Timeout(TimeoutPhase.FIRST_BYTE, 2000 * MS));
    last.add(new Failure.Http(500, "internal error"));
    double[] values = {1, 2, 4, 8, 16};
    List<RunAnalysis> runs =
        List.of(
            level(100, 50, List.of(), false, slo, lagMs),
            level(196, 52, List.of(), false, slo, lagMs),
            level(380, 60, List.of(), false, slo, lagMs),
            level(390, 250, List.of(), false, slo, lagMs),
            level(392, 800, last, false, slo, lagMs));
    List<SweepAnalysis.Level> levels = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunAnalysis r = runs.get(i);
      // The workload the sweep reports comes from its first level's run.
      RunAnalysis withWorkload =
          i > 0
              ? r
              : RunAnalysis.of(
                  r.run()
                      .withFacts(
                          r.run()
                              .facts()
                              .withWorkload(
                                  new io.inferscope.core.RunFacts.Workload(
                                      io.inferscope.core.RunFacts.WorkloadSource.SYNTHETIC,
                                      "prompts.jsonl",
                                      256,
                                      2,
                                      io.inferscope.core.RunFacts.TokenCounting.ENGINE_TOKENIZER,
                                      512.0,
                                      128.0,
                                      64,
                                      28))));
      levels.add(new SweepAnalysis.Level(values[i], withWorkload));
    }
    SweepAnalysis ran = SweepAnalysis.of(SweepAxis.CONCURRENCY, levels, null);
    String stop = SweepAnalysis.stopReason(SweepAxis.CONCURRENCY, ran.levels(), 90.0, null);
    return SweepAnalysis.of(SweepAxis.CONCURRENCY, levels, stop);
  }

  /** An open-loop sweep of three levels whose throughput kept rising; the last cut short. */
  static SweepAnalysis risingRates() {
    return SweepAnalysis.of(
        SweepAxis.RATE,
        List.of(
            new SweepAnalysis.Level(0.5, level(100, 40, List.of(), false, null, 0)),
            new SweepAnalysis.Level(1, level(200, 41, List.of(), false, null, 0)),
            new SweepAnalysis.Level(
                2,
                level(
                    300,
                    45,
                    List.of(new Failure.Cancelled("interrupted by SIGINT")),
                    true,
                    null,
                    0))),
        "interrupted by SIGINT");
  }

  /**
   * A level: completed requests for {@code tokensPerSecond}, each with TTFT {@code ttftMs} and sent
   * {@code lagMs} after its intended time, then the failures (sent at 100 ms, ending 1 ms later).
   */
  static RunAnalysis level(
      int tokensPerSecond,
      long ttftMs,
      List<Failure> failures,
      boolean partial,
      Slo slo,
      long lagMs) {
    int ok = tokensPerSecond * (int) (WINDOW_MS / 1000) / CHUNKS;
    long e2eMs = ttftMs + (CHUNKS - 1) * 10 + 1;
    long lastSendMs = WINDOW_MS - e2eMs;
    List<RequestTrace> traces = new ArrayList<>();
    int id = 0;
    for (int i = 0; i < ok; i++) {
      long send = (ok == 1 ? lastSendMs : lastSendMs * i / (ok - 1)) * MS;
      EventLog.Builder b = new EventLog.Builder().add(send + MS, ChunkKind.ROLE, 0);
      long at = send;
      for (int c = 0; c < CHUNKS; c++) {
        at = send + (ttftMs + 10L * c) * MS;
        b.add(at, ChunkKind.CONTENT, 3);
      }
      traces.add(
          new RequestTrace(
              id++,
              false,
              Math.max(0, send - lagMs * MS),
              send,
              send + MS,
              at + MS,
              200,
              b.build(),
              null,
              null,
              "stop",
              null));
    }
    for (Failure f : failures) {
      traces.add(
          new RequestTrace(
              id++,
              false,
              100 * MS,
              100 * MS,
              null,
              101 * MS,
              null,
              EventLog.empty(),
              null,
              null,
              null,
              f));
    }
    RunMeta meta = Fixtures.meta("llama-3.1-8b-instruct").withSlo(slo);
    return RunAnalysis.of(
        new RunResult(
            meta,
            Fixtures.clock(),
            traces,
            WINDOW_MS * MS,
            partial,
            partial ? "interrupted by SIGINT" : null));
  }
}
