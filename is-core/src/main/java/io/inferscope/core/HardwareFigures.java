package io.inferscope.core;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The figures drawn from a run's hardware samples. A source that was not sampled, or could not be,
 * has no figures (null); its timeline says why.
 *
 * <p>The GPU figures cover the measured window (first measured send to last measured end), so
 * energy and tokens per joule describe the same span as the throughput figures. With no request
 * measured (sample-only), they cover everything sampled.
 *
 * @param processTree the process tree's figures over every sample, or null
 * @param wrapperWarning why the engine PID looks like a wrapper, or null
 * @param enginePids every pid seen in the process tree, in order, or null when the tree was not
 *     sampled
 * @param gpu the GPUs' figures over {@code gpuWindowStartNanos..gpuWindowEndNanos}, or null
 * @param gpuWindowMeasured whether the GPU window is the measured window of the requests (else the
 *     whole sampling span: no request was measured)
 * @param gpuWindowStartNanos run-clock start of the GPU window
 * @param gpuWindowEndNanos run-clock end of the GPU window
 * @param outputTokens the output tokens of the window, or null when no request was measured
 */
public record HardwareFigures(
    ProcessTreeMetrics processTree,
    String wrapperWarning,
    SortedSet<Integer> enginePids,
    GpuMetrics gpu,
    boolean gpuWindowMeasured,
    long gpuWindowStartNanos,
    long gpuWindowEndNanos,
    Long outputTokens) {

  public HardwareFigures {
    enginePids =
        enginePids == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(enginePids));
  }

  /**
   * Derives the figures. Pure.
   *
   * @param h the samples
   * @param window the measured window, or null when no request was measured
   * @param runEndNanos when the run ended
   * @param outputTokens output tokens of the measured window, or null when none was measured
   */
  public static HardwareFigures of(
      HardwareSamples h, MeasuredWindow window, long runEndNanos, Long outputTokens) {
    ProcessTreeMetrics tree = null;
    String wrapper = null;
    SortedSet<Integer> pids = null;
    if (sampled(h.processTree())) {
      List<ProcessTreeSample> samples = h.processTree().samples();
      tree = ProcessTreeMetrics.of(samples);
      wrapper = WrapperCheck.of(tree).orElse(null);
      pids = new TreeSet<>();
      for (ProcessTreeSample s : samples) {
        for (ProcessStat p : s.processes()) {
          pids.add(p.pid());
        }
      }
    }
    long start;
    long end;
    if (window != null) {
      start = window.startNanos();
      end = window.endNanos();
    } else {
      List<GpuTick> all = h.gpu() == null ? List.of() : h.gpu().samples();
      start = all.isEmpty() ? 0 : all.getFirst().atNanos();
      end = all.isEmpty() ? Math.max(0, runEndNanos) : lastRead(all.getLast());
      end = Math.max(start, end);
    }
    Long tokens = window != null ? outputTokens : null;
    GpuMetrics gpu = null;
    if (sampled(h.gpu())) {
      gpu = GpuMetrics.of(h.gpuDevices(), h.gpu().samples(), start, end, tokens);
    }
    return new HardwareFigures(tree, wrapper, pids, gpu, window != null, start, end, tokens);
  }

  /** Whether a process is part of the engine: null when the tree was not sampled. */
  public Boolean isEngine(int pid) {
    return enginePids == null ? null : enginePids.contains(pid);
  }

  public long gpuWindowNanos() {
    return gpuWindowEndNanos - gpuWindowStartNanos;
  }

  private static long lastRead(GpuTick tick) {
    return tick.devices().isEmpty() ? tick.atNanos() : tick.devices().getLast().atNanos();
  }

  private static boolean sampled(Timeline<?> t) {
    return t != null && t.available();
  }
}
