package io.inferscope.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sweep levels built from request traces, with figures easy to set: every completed request streams
 * {@value #CHUNKS} text chunks {@code gapMs} apart after its TTFT and ends 1 ms after its last; the
 * requests are spread evenly so the measured window is exactly {@value #WINDOW_MS} ms. Output
 * throughput is then {@code ok * CHUNKS / 10 s}: {@code ok = tok/s / 2}.
 */
final class SweepFixtures {

  static final long MS = 1_000_000L;
  static final int CHUNKS = 20;
  static final long WINDOW_MS = 10_000;

  private SweepFixtures() {}

  /** A level of {@code tokensPerSecond / 2} completed requests, each with the given TTFT. */
  static RunAnalysis level(int tokensPerSecond, long ttftMs) {
    return level(tokensPerSecond, ttftMs, 10, List.of(), false, null);
  }

  /**
   * A level: completed requests for {@code tokensPerSecond}, TTFT {@code ttftMs}, chunks {@code
   * gapMs} apart, then the failures (each sent at 100 ms, ending 1 ms later), cut short or not,
   * with an SLO or none.
   */
  static RunAnalysis level(
      int tokensPerSecond,
      long ttftMs,
      long gapMs,
      List<Failure> failures,
      boolean partial,
      Slo slo) {
    int ok = tokensPerSecond / 2;
    long e2eMs = ttftMs + (CHUNKS - 1) * gapMs + 1;
    long lastSendMs = WINDOW_MS - e2eMs;
    List<RequestTrace> traces = new ArrayList<>();
    int id = 0;
    for (int i = 0; i < ok; i++) {
      long sendMs = ok == 1 ? lastSendMs : lastSendMs * i / (ok - 1);
      traces.add(ok(id++, sendMs, ttftMs, gapMs));
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
    RunMeta meta =
        new RunMeta(
            "0.1.0",
            "run",
            List.of("inferscope", "sweep"),
            "http://localhost:8000",
            "chat",
            "m",
            Map.of(),
            slo);
    return RunAnalysis.of(
        new RunResult(
            meta,
            new RunClock(0, Instant.parse("2025-06-01T12:00:00Z")),
            traces,
            WINDOW_MS * MS,
            partial,
            partial ? "interrupted by SIGINT" : null));
  }

  static RequestTrace ok(int id, long sendMs, long ttftMs, long gapMs) {
    long send = sendMs * MS;
    EventLog.Builder b = new EventLog.Builder().add(send + MS, ChunkKind.ROLE, 0);
    long last = send;
    for (int i = 0; i < CHUNKS; i++) {
      last = send + (ttftMs + i * gapMs) * MS;
      b.add(last, ChunkKind.CONTENT, 3);
    }
    return new RequestTrace(
        id, false, send, send, send, last + MS, 200, b.build(), null, null, "stop", null);
  }

  /** {@code n} copies of {@code f}. */
  static List<Failure> times(int n, Failure f) {
    List<Failure> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(f);
    }
    return out;
  }
}
