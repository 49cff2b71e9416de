package io.inferscope.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the hardware figures of any span of the run from its samples; built once per run, then
 * asked once per window (binary search, so a run of many requests stays fast). The rules are
 * documented on {@link Correlation}.
 */
final class WindowFigures {

  private final long[] intervalStart;
  private final long[] intervalEnd;
  private final double[] cpuPercent;
  private final Map<Integer, long[]> gpuAt = new TreeMap<>();
  private final Map<Integer, List<GpuSample>> gpuSamples = new TreeMap<>();
  private final long gpuPeriodNanos;

  WindowFigures(HardwareSamples h) {
    Timeline<ProcessTreeSample> tree = h.processTree();
    if (tree != null && tree.available() && tree.samples().size() >= 2) {
      ProcessTreeSeries s = ProcessTreeMetrics.of(tree.samples()).series();
      int n = s.intervals();
      intervalStart = Arrays.copyOf(s.sampleAtNanos(), n);
      intervalEnd = Arrays.copyOfRange(s.sampleAtNanos(), 1, n + 1);
      cpuPercent = s.cpuPercent();
    } else {
      intervalStart = new long[0];
      intervalEnd = new long[0];
      cpuPercent = new double[0];
    }
    Timeline<GpuTick> gpu = h.gpu();
    gpuPeriodNanos = gpu == null ? 0 : gpu.periodNanos();
    if (gpu != null && gpu.available()) {
      for (Map.Entry<Integer, List<GpuSample>> e :
          GpuTick.samplesByDevice(gpu.samples()).entrySet()) {
        List<GpuSample> list = e.getValue();
        long[] at = new long[list.size()];
        for (int i = 0; i < at.length; i++) {
          at[i] = list.get(i).atNanos();
        }
        gpuSamples.put(e.getKey(), list);
        gpuAt.put(e.getKey(), at);
      }
    }
  }

  ResourceFigures of(long start, long end) {
    int[] used = new int[1];
    Double cpu = cpu(start, end, used);
    Map<Integer, Double> sm = new TreeMap<>();
    double watts = 0;
    boolean anyWatts = false;
    // A reading averages over the sensor's own span: a shorter window cannot be told apart.
    boolean smResolved = end - start >= Correlation.GPU_SM_RESOLUTION_NANOS;
    boolean powerResolved = end - start >= Correlation.GPU_POWER_RESOLUTION_NANOS;
    for (Map.Entry<Integer, List<GpuSample>> e : gpuSamples.entrySet()) {
      if (!smResolved && !powerResolved) {
        break;
      }
      List<GpuSample> picked = pick(e.getValue(), gpuAt.get(e.getKey()), start, end);
      used[0] += picked.size();
      Double deviceSm = smResolved ? mean(picked, true) : null;
      if (deviceSm != null) {
        sm.put(e.getKey(), deviceSm);
      }
      Double deviceWatts = powerResolved ? mean(picked, false) : null;
      if (deviceWatts != null) {
        watts += deviceWatts;
        anyWatts = true;
      }
    }
    Double smMean = null;
    if (!sm.isEmpty()) {
      double sum = 0;
      for (double v : sm.values()) {
        sum += v;
      }
      smMean = sum / sm.size();
    }
    return new ResourceFigures(cpu, smMean, sm, anyWatts ? watts : null, used[0]);
  }

  /**
   * CPU is cumulative: each interval's rate weighted by its overlap with the window. A window with
   * no length (or none inside the sampled span's intervals) takes the interval that holds its
   * start.
   */
  private Double cpu(long start, long end, int[] used) {
    int n = intervalStart.length;
    if (n == 0) {
      return null;
    }
    // first interval that ends at or after the start
    int i = firstAtOrAfter(intervalEnd, start);
    double weighted = 0;
    long weight = 0;
    int count = 0;
    for (int k = i; k < n && intervalStart[k] <= end; k++) {
      long overlap = Math.min(end, intervalEnd[k]) - Math.max(start, intervalStart[k]);
      if (overlap > 0 && Double.isFinite(cpuPercent[k])) {
        weighted += cpuPercent[k] * overlap;
        weight += overlap;
        count++;
      }
    }
    if (weight > 0) {
      used[0] += count;
      return weighted / weight;
    }
    for (int k = i; k < n && intervalStart[k] <= start; k++) {
      if (start <= intervalEnd[k] && Double.isFinite(cpuPercent[k])) {
        used[0]++;
        return cpuPercent[k];
      }
    }
    return null;
  }

  /**
   * SM use and power are instantaneous: the samples inside the window; when none, the one sample
   * nearest the window's middle, if it lies within one sampling period of the window.
   */
  private List<GpuSample> pick(List<GpuSample> samples, long[] at, long start, long end) {
    int from = firstAtOrAfter(at, start);
    int to = firstAtOrAfter(at, end + 1);
    if (to > from) {
      return samples.subList(from, to);
    }
    long middle = start + (end - start) / 2;
    int best = -1;
    long bestDistance = Long.MAX_VALUE;
    for (int k : new int[] {from - 1, from}) {
      if (k >= 0 && k < at.length && Math.abs(at[k] - middle) < bestDistance) {
        best = k;
        bestDistance = Math.abs(at[k] - middle);
      }
    }
    if (best < 0) {
      return List.of();
    }
    long gap = at[best] < start ? start - at[best] : at[best] - end;
    return gap <= gpuPeriodNanos ? List.of(samples.get(best)) : List.of();
  }

  private static Double mean(List<GpuSample> samples, boolean sm) {
    double sum = 0;
    int n = 0;
    for (GpuSample s : samples) {
      Double v = sm ? toDouble(s.smUtilPercent()) : s.powerWatts();
      if (v != null && Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static Double toDouble(Integer v) {
    return v == null ? null : v.doubleValue();
  }

  /** Index of the first value at or after {@code t} in ascending {@code values}; length if none. */
  private static int firstAtOrAfter(long[] values, long t) {
    int lo = 0;
    int hi = values.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (values[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
