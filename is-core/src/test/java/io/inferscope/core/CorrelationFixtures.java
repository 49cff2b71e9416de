package io.inferscope.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-built traces and samples, in milliseconds, for correlation, phases and findings. */
final class CorrelationFixtures {

  static final long MS = 1_000_000L;

  private CorrelationFixtures() {}

  /** A completed request with text events at {@code firstMs} and {@code lastMs} (one if equal). */
  static RequestTrace ok(int id, long sendMs, long firstMs, long lastMs, long endMs) {
    return ok(id, false, sendMs, firstMs, lastMs, endMs, null);
  }

  static RequestTrace ok(
      int id,
      boolean warmup,
      long sendMs,
      long firstMs,
      long lastMs,
      long endMs,
      Integer usageTokens) {
    EventLog.Builder b = new EventLog.Builder().add(sendMs * MS, ChunkKind.ROLE, 0);
    b.add(firstMs * MS, ChunkKind.CONTENT, 3);
    if (lastMs != firstMs) {
      b.add(lastMs * MS, ChunkKind.CONTENT, 3);
    }
    Usage usage =
        usageTokens == null ? null : new Usage(5, usageTokens, 5 + usageTokens, null, null);
    return new RequestTrace(
        id,
        warmup,
        sendMs * MS,
        sendMs * MS,
        sendMs * MS,
        endMs * MS,
        200,
        b.build(),
        usage,
        null,
        "stop",
        null);
  }

  static RequestTrace failed(int id, long sendMs, long endMs, Failure f) {
    return new RequestTrace(
        id,
        false,
        sendMs * MS,
        sendMs * MS,
        null,
        endMs * MS,
        null,
        EventLog.empty(),
        null,
        null,
        null,
        f);
  }

  /**
   * {@code n} requests one after another, each 1 s apart, with the given TTFT and 100 ms decode.
   */
  static List<RequestTrace> sequential(long... ttftMs) {
    List<RequestTrace> out = new ArrayList<>();
    for (int i = 0; i < ttftMs.length; i++) {
      long send = i * 10_000L;
      out.add(ok(i, send, send + ttftMs[i], send + ttftMs[i] + 100, send + ttftMs[i] + 101));
    }
    return out;
  }

  static RunResult run(List<RequestTrace> traces, HardwareSamples hardware) {
    long end = 0;
    for (RequestTrace t : traces) {
      end = Math.max(end, t.endNanos());
    }
    return new RunResult(
        new RunMeta("0.1.0", "run", List.of("inferscope"), "http://x", "chat", "m", Map.of()),
        new RunClock(0, Instant.parse("2025-06-01T12:00:00Z")),
        traces,
        end,
        false,
        null,
        hardware);
  }

  /** One process (pid 10) whose cumulative CPU reached {@code cpuMs[i]} at {@code atMs[i]}. */
  static Timeline<ProcessTreeSample> tree(long[] atMs, long[] cpuMs) {
    List<ProcessTreeSample> samples = new ArrayList<>();
    for (int i = 0; i < atMs.length; i++) {
      samples.add(
          new ProcessTreeSample(
              atMs[i] * MS,
              10,
              List.of(
                  new ProcessStat(
                      10, 1, "engine", 1, cpuMs[i] * MS, 0, 1 << 20, 4, null, null, null, null))));
    }
    return new Timeline<>("proc", 100 * MS, samples, null);
  }

  static GpuSample gpu(long atMs, int device, Integer sm, Double watts) {
    return new GpuSample(
        atMs * MS, device, sm, null, null, watts, null, null, null, null, List.of());
  }

  /** One tick per distinct read time, the samples of each in the order given. */
  static Timeline<GpuTick> gpus(long periodMs, GpuSample... samples) {
    Map<Long, List<GpuSample>> byTime = new TreeMap<>();
    for (GpuSample s : samples) {
      byTime.computeIfAbsent(s.atNanos(), k -> new ArrayList<>()).add(s);
    }
    List<GpuTick> ticks = new ArrayList<>();
    byTime.forEach((at, devices) -> ticks.add(new GpuTick(at, devices)));
    return new Timeline<>("nvml", periodMs * MS, ticks, null);
  }

  static List<GpuDevice> devices(int n) {
    List<GpuDevice> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new GpuDevice(i, "GPU", "GPU-" + i, null, null));
    }
    return out;
  }
}
