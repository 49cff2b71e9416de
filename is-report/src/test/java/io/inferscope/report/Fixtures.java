package io.inferscope.report;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.TimeoutPhase;
import io.inferscope.core.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built runs with figures that are easy to compute by hand.
 *
 * <p>The standard run: one warm-up, three plain completions (TTFT 40, 50, 60 ms; four content
 * chunks 10 ms apart; usage 4 tokens), one reasoning request (TTFT 30 ms, first content 80 ms, 4
 * chunks, usage 6 tokens), then HTTP 500, shed 503, first-byte timeout (2 s) and a cancelled
 * request. Measured: 8 requests, 4 ok; TTFT sorted 30, 40, 50, 60 ms: p50 45 ms, p99 59.7 ms;
 * window 100 ms to 2700 ms = 2.6 s; 18 output tokens.
 */
final class Fixtures {

  static final long MS = 1_000_000L;

  private Fixtures() {}

  static RunClock clock() {
    return new RunClock(987_654_321_000L, Instant.parse("2025-06-01T12:00:00.123456789Z"));
  }

  static RunMeta meta(String model) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("concurrency", "4");
    settings.put("requests", "8");
    settings.put("warmup", "1");
    return new RunMeta(
        "0.1.0",
        "run",
        List.of("inferscope", "run", "--url", "http://localhost:8000", "--concurrency", "4"),
        "http://localhost:8000",
        "chat",
        model,
        settings);
  }

  static List<RequestTrace> standardTraces() {
    List<RequestTrace> t = new ArrayList<>();
    t.add(ok(0, true, 0, 0, 500, 4, 10, 4, null));
    t.add(ok(1, false, 100, 0, 40, 4, 10, 4, new ServerTimings(12, 8.5, 4, 30.0, 0)));
    t.add(ok(2, false, 200, 0, 50, 4, 10, 4, new ServerTimings(12, 9.5, 4, 40.0, 0)));
    t.add(ok(3, false, 300, 0, 60, 4, 10, 4, null));
    t.add(reasoning(4, 400));
    t.add(failed(5, 500, 6, 500, new Failure.Http(500, "internal error")));
    t.add(failed(6, 600, 3, 503, new Failure.Shed(503, "overloaded")));
    t.add(failed(7, 700, 2000, null, new Failure.Timeout(TimeoutPhase.FIRST_BYTE, 2000 * MS)));
    t.add(failed(8, 800, 50, 200, new Failure.Cancelled("run interrupted")));
    return t;
  }

  static RunResult standardRun() {
    return new RunResult(
        meta("llama-3.1-8b-instruct"), clock(), standardTraces(), 3000 * MS, false, null);
  }

  static RunResult run(List<RequestTrace> traces) {
    return new RunResult(meta("llama-3.1-8b-instruct"), clock(), traces, 3000 * MS, false, null);
  }

  /**
   * A completed chat request: role chunk at +5 ms, {@code chunks} content chunks from {@code
   * ttftMs} every {@code gapMs}, then finish, usage and [DONE] 1 ms apart, end 1 ms later.
   */
  static RequestTrace ok(
      int id,
      boolean warmup,
      long sendMs,
      long lagMs,
      long ttftMs,
      int chunks,
      long gapMs,
      Integer usageTokens,
      ServerTimings timings) {
    long send = sendMs * MS;
    EventLog.Builder b = new EventLog.Builder().add(send + 5 * MS, ChunkKind.ROLE, 0);
    long last = send + ttftMs * MS;
    for (int i = 0; i < chunks; i++) {
      last = send + (ttftMs + i * gapMs) * MS;
      b.add(last, ChunkKind.CONTENT, 3 + i);
    }
    b.add(last + MS, ChunkKind.FINISH, 0);
    b.add(last + 2 * MS, ChunkKind.USAGE, 0);
    b.add(last + 3 * MS, ChunkKind.DONE, 0);
    Usage usage = usageTokens == null ? null : new Usage(12, usageTokens, 12 + usageTokens, 0, 0);
    return new RequestTrace(
        id,
        warmup,
        send - lagMs * MS,
        send,
        send + 2 * MS,
        last + 4 * MS,
        200,
        b.build(),
        usage,
        timings,
        "stop",
        null);
  }

  /**
   * Reasoning at +30 and +40 ms, content at +80 and +90 ms; usage 6 tokens, 2 of them reasoning.
   */
  static RequestTrace reasoning(int id, long sendMs) {
    long send = sendMs * MS;
    EventLog events =
        new EventLog.Builder()
            .add(send + 5 * MS, ChunkKind.ROLE, 0)
            .add(send + 30 * MS, ChunkKind.REASONING, 7)
            .add(send + 40 * MS, ChunkKind.REASONING, 9)
            .add(send + 80 * MS, ChunkKind.CONTENT, 4)
            .add(send + 90 * MS, ChunkKind.CONTENT, 5)
            .add(send + 91 * MS, ChunkKind.FINISH, 0)
            .add(send + 92 * MS, ChunkKind.USAGE, 0)
            .add(send + 93 * MS, ChunkKind.DONE, 0)
            .build();
    return new RequestTrace(
        id,
        false,
        send,
        send,
        send + 2 * MS,
        send + 94 * MS,
        200,
        events,
        new Usage(20, 6, 26, 2, 8),
        null,
        "length",
        null);
  }

  static RequestTrace failed(int id, long sendMs, long durationMs, Integer status, Failure f) {
    long send = sendMs * MS;
    return new RequestTrace(
        id,
        false,
        send,
        send,
        status == null ? null : send + MS,
        send + durationMs * MS,
        status,
        EventLog.empty(),
        null,
        null,
        null,
        f);
  }
}
