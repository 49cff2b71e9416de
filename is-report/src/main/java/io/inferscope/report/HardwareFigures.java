package io.inferscope.report;

import io.inferscope.core.GpuDevice;
import io.inferscope.core.GpuMetrics;
import io.inferscope.core.GpuSample;
import io.inferscope.core.HardwareSamples;
import io.inferscope.core.ProcessStat;
import io.inferscope.core.ProcessTreeMetrics;
import io.inferscope.core.ProcessTreeSample;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunMetrics;
import io.inferscope.core.RunResult;
import io.inferscope.core.Timeline;
import io.inferscope.core.WrapperCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hardware figures both reports show, derived once from a run's samples. A source that was not
 * sampled, or could not be, has no figures (null); its timeline says why.
 *
 * @param tree the process tree's figures over every sample, or null
 * @param wrapperWarning why the engine PID looks like a wrapper, or null
 * @param enginePids every pid seen in the process tree, or null when the tree was not sampled
 * @param gpuDevices the devices as listed when sampling began
 * @param gpu the GPUs' figures over {@code gpuWindowStartNanos..gpuWindowEndNanos}, or null
 * @param gpuWindowMeasured whether the GPU window is the measured window of the requests (else the
 *     whole sampling span: no request was measured)
 * @param gpuWindowStartNanos run-clock start of the GPU window
 * @param gpuWindowEndNanos run-clock end of the GPU window
 * @param outputTokens the output tokens of the window, or null when no request was measured
 */
record HardwareFigures(
    ProcessTreeMetrics tree,
    String wrapperWarning,
    Set<Integer> enginePids,
    List<GpuDevice> gpuDevices,
    GpuMetrics gpu,
    boolean gpuWindowMeasured,
    long gpuWindowStartNanos,
    long gpuWindowEndNanos,
    Long outputTokens) {

  static HardwareFigures of(RunResult run, RunMetrics m) {
    HardwareSamples h = run.hardware();
    ProcessTreeMetrics tree = null;
    String wrapper = null;
    Set<Integer> pids = null;
    if (sampled(h.processTree())) {
      List<ProcessTreeSample> samples = h.processTree().samples();
      tree = ProcessTreeMetrics.of(samples);
      wrapper = WrapperCheck.of(tree).orElse(null);
      pids = new HashSet<>();
      for (ProcessTreeSample s : samples) {
        for (ProcessStat p : s.processes()) {
          pids.add(p.pid());
        }
      }
    }

    // The GPU figures cover the load the client measured (first measured send to last end), so
    // energy and tokens per joule describe the same span as the throughput figures. With no
    // request measured (sample-only), they cover everything sampled.
    boolean measured = m.windowNanos() != null;
    long start;
    long end;
    if (measured) {
      start = Long.MAX_VALUE;
      for (RequestTrace t : run.traces()) {
        if (!t.warmup()) {
          start = Math.min(start, t.sendNanos());
        }
      }
      end = start + m.windowNanos();
    } else {
      List<GpuSample> all = h.gpu() == null ? List.of() : h.gpu().samples();
      start = all.isEmpty() ? 0 : all.getFirst().atNanos();
      end = all.isEmpty() ? Math.max(0, run.endNanos()) : all.getLast().atNanos();
      end = Math.max(start, end);
    }
    Long tokens = measured ? m.outputTokensTotal() : null;
    GpuMetrics gpu = null;
    if (sampled(h.gpu())) {
      gpu = GpuMetrics.of(h.gpuDevices(), ticks(h.gpu().samples()), start, end, tokens);
    }
    return new HardwareFigures(
        tree, wrapper, pids, h.gpuDevices(), gpu, measured, start, end, tokens);
  }

  /** Whether a process is part of the engine: null when the tree was not sampled. */
  Boolean isEngine(int pid) {
    return enginePids == null ? null : enginePids.contains(pid);
  }

  /** The device listed with {@code index}, or null. */
  GpuDevice device(int index) {
    for (GpuDevice d : gpuDevices) {
      if (d.index() == index) {
        return d;
      }
    }
    return null;
  }

  long gpuWindowNanos() {
    return gpuWindowEndNanos - gpuWindowStartNanos;
  }

  private static boolean sampled(Timeline<?> t) {
    return t != null && t.available();
  }

  /**
   * Regroups the flattened GPU samples into ticks. A tick reads the devices in index order, each
   * stamped at its own read, so its samples do not share one instant: a tick ends where the device
   * index stops rising.
   */
  static List<List<GpuSample>> ticks(List<GpuSample> samples) {
    List<List<GpuSample>> ticks = new ArrayList<>();
    List<GpuSample> tick = new ArrayList<>();
    for (GpuSample s : samples) {
      if (!tick.isEmpty() && s.deviceIndex() <= tick.getLast().deviceIndex()) {
        ticks.add(tick);
        tick = new ArrayList<>();
      }
      tick.add(s);
    }
    if (!tick.isEmpty()) {
      ticks.add(tick);
    }
    return ticks;
  }
}
