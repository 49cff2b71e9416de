package io.inferscope.report;

import io.inferscope.core.ChunkKind;
import io.inferscope.core.EventLog;
import io.inferscope.core.Failure;
import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuProcessUsage;
import io.inferscope.core.GpuSample;
import io.inferscope.core.GpuTick;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.inferscope.core.RunMeta;
import io.inferscope.core.RunResult;
import io.inferscope.core.ServerTimings;
import io.inferscope.core.Timeline;
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
 *
 * <p>The standard hardware: the engine's tree and two GPUs sampled every 500 ms from 0 to 3 s
 * (seven samples; GPU 1 read 1 ms after GPU 0). Tree: {@code python3} (pid 4242, 50 ms CPU per
 * interval), {@code VLLM::EngineCor} (4300, 450 ms per interval, {@code io} unreadable) and, from
 * 1.5 s, {@code torch_compile} (4400, 200, 300 and 250 ms in its three intervals). Tree CPU per
 * interval: 100, 100, 100, 140, 160, 150 % of a core; mean 125 %. GPU 0 draws 400 W on its counter;
 * GPU 1's counter grows 150, 150, 200, 200, 150, 100 J per interval, so over the measured window
 * (100 to 2700 ms) GPU 0 used 1040 J and GPU 1 850 + 39.8 - 29.7 = 860.1 J. PID 9999 uses GPU 1 but
 * is not in the tree.
 */
final class Fixtures {

  static final long MS = 1_000_000L;
  static final long MIB = 1024L * 1024;
  static final long GIB = 1024 * MIB;
  static final long H100_BYTES = 85_520_809_984L;

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

  static RunResult run(List<RequestTrace> traces, HardwareSamples hardware) {
    return new RunResult(
        meta("llama-3.1-8b-instruct"), clock(), traces, 3000 * MS, false, null, hardware);
  }

  static HardwareSamples hardware() {
    return new HardwareSamples(4242, processTree(), gpuDevices(), gpu());
  }

  static Timeline<ProcessTreeSample> processTree() {
    List<ProcessTreeSample> samples = new ArrayList<>();
    for (int i = 0; i <= 6; i++) {
      List<ProcessStat> processes = new ArrayList<>();
      processes.add(
          new ProcessStat(
              4242,
              1,
              "python3",
              1000,
              (2000 + 40L * i) * MS,
              (500 + 10L * i) * MS,
              400 * MIB,
              40,
              1000L + 100 * i,
              10L + i,
              (10L + i) * MIB,
              8192L * i));
      processes.add(
          new ProcessStat(
              4300,
              4242,
              "VLLM::EngineCor",
              1100,
              (60_000 + 400L * i) * MS,
              (3000 + 50L * i) * MS,
              (1536 + 64L * i) * MIB,
              120,
              5000L + 1000 * i,
              200L + 20 * i,
              null,
              null));
      if (i >= 3) {
        long[] cpuMs = {100, 300, 600, 850};
        int k = i - 3;
        processes.add(
            new ProcessStat(
                4400,
                4300,
                "torch_compile",
                5000,
                cpuMs[k] * MS,
                0,
                256 * MIB,
                8,
                10L * k,
                2L * k,
                0L,
                4096L * k));
      }
      samples.add(new ProcessTreeSample(500 * MS * i, 4242, processes));
    }
    return new Timeline<>("proc", 500 * MS, samples, null);
  }

  static List<GpuDevice> gpuDevices() {
    return List.of(
        new GpuDevice(
            0,
            "NVIDIA H100 80GB HBM3",
            "GPU-0a1b2c3d-0000-1111-2222-333344445555",
            H100_BYTES,
            700.0),
        new GpuDevice(
            1,
            "NVIDIA H100 80GB HBM3",
            "GPU-9f8e7d6c-0000-1111-2222-333344445555",
            H100_BYTES,
            null));
  }

  /** Cuts samples listed tick after tick into ticks of {@code devices} reads each. */
  static List<GpuTick> ticks(List<GpuSample> samples, int devices) {
    List<GpuTick> ticks = new ArrayList<>();
    for (int i = 0; i < samples.size(); i += devices) {
      List<GpuSample> one = samples.subList(i, Math.min(samples.size(), i + devices));
      ticks.add(new GpuTick(one.getFirst().atNanos(), one));
    }
    return ticks;
  }

  static Timeline<GpuTick> gpu() {
    long[] counter1 = {0, 150, 300, 500, 700, 850, 950};
    double[] power1 = {300, 300, 400, 400, 300, 200, 200};
    List<GpuTick> ticks = new ArrayList<>();
    for (int i = 0; i <= 6; i++) {
      long at = 500 * MS * i;
      List<GpuSample> samples = new ArrayList<>();
      samples.add(
          new GpuSample(
              at,
              0,
              80 + i,
              40,
              70 * GIB + 100 * MIB * i,
              400.0,
              60 + i,
              1980,
              2619,
              5_000_000L + 200_000L * i,
              List.of(new GpuProcessUsage(4300, 69 * GIB + 100 * MIB * i, 85))));
      samples.add(
          new GpuSample(
              at + MS,
              1,
              70 + i,
              30,
              68 * GIB,
              power1[i],
              55,
              1900,
              2619,
              8_000_000L + counter1[i] * 1000,
              List.of(
                  new GpuProcessUsage(4300, 66 * GIB, null),
                  new GpuProcessUsage(9999, 2 * GIB, null))));
      ticks.add(new GpuTick(at, samples));
    }
    return new Timeline<>("nvml", 500 * MS, ticks, null);
  }

  /** A run that sent no load and only sampled the engine for 3 s. */
  static RunResult sampleOnly(HardwareSamples hardware) {
    RunMeta meta =
        new RunMeta(
            "0.1.0",
            "sample-only",
            List.of("inferscope", "run", "--sample-only", "--pid", "4242", "--duration", "3s"),
            null,
            null,
            null,
            Map.of("duration", "3s"));
    return new RunResult(meta, clock(), List.of(), 3001 * MS, false, null, hardware);
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
   * A completed request whose engine stamped its events: role at +5 ms unstamped, three content
   * chunks at +40, +50, +60 ms sent 1, 2 and 3 ms before, then [DONE] unstamped.
   */
  static RequestTrace stamped(int id, long sendMs) {
    long send = sendMs * MS;
    EventLog.Builder b = new EventLog.Builder().add(send + 5 * MS, ChunkKind.ROLE, 0);
    for (int i = 0; i < 3; i++) {
      long at = send + (40 + 10 * i) * MS;
      b.addSent(at, ChunkKind.CONTENT, 2, at - (i + 1) * MS);
    }
    b.add(send + 61 * MS, ChunkKind.DONE, 0);
    return new RequestTrace(
        id,
        false,
        send,
        send,
        send + 2 * MS,
        send + 62 * MS,
        200,
        b.build(),
        null,
        null,
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

  /** {@code streamed}'s events and times, ending in {@code f}: a request that failed late. */
  static RequestTrace failedAfterStreaming(RequestTrace streamed, Failure f) {
    return new RequestTrace(
        streamed.id(),
        false,
        streamed.intendedNanos(),
        streamed.sendNanos(),
        streamed.headersNanos(),
        streamed.endNanos(),
        200,
        streamed.events(),
        null,
        null,
        streamed.finishReason(),
        f);
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
